#!/usr/bin/env python3
"""Independent structure and range checks of exported datasets, with the standard library only.

Usage: check_datasets.py coco FILE.json | yolo DIR [detect|segment|pose|obb] | voc DIR
Prints one line per problem and exits 1 if any, else prints "ok <summary>" and exits 0.
"""
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

EPS = 1e-6
problems = []


def problem(msg):
    problems.append(msg)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_coco(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    for key in ("images", "annotations", "categories"):
        if not isinstance(d.get(key), list):
            problem(f"{path}: '{key}' must be a list")
            return "broken"
    images = {}
    for i, im in enumerate(d["images"]):
        if im.get("id") in images:
            problem(f"images[{i}]: duplicate id {im.get('id')}")
        if not (isinstance(im.get("width"), int) and im["width"] > 0 and isinstance(im.get("height"), int) and im["height"] > 0):
            problem(f"images[{i}]: width/height must be positive integers")
        if not isinstance(im.get("file_name"), str) or not im["file_name"]:
            problem(f"images[{i}]: file_name missing")
        images[im.get("id")] = im
    cats = {c.get("id"): c for c in d["categories"]}
    if len(cats) != len(d["categories"]):
        problem("categories: duplicate id")
    for i, c in enumerate(d["categories"]):
        if not isinstance(c.get("id"), int):
            problem(f"categories[{i}]: id must be an integer")
        if not isinstance(c.get("name"), str):
            problem(f"categories[{i}]: name missing")
        for e in c.get("skeleton", []):
            if len(e) != 2 or not all(isinstance(k, int) and 1 <= k <= len(c.get("keypoints", [])) for k in e):
                problem(f"categories[{i}]: skeleton edge {e} is not two 1-based keypoint indices")
    ann_ids = set()
    for i, a in enumerate(d["annotations"]):
        where = f"annotations[{i}]"
        if not isinstance(a.get("id"), int):
            problem(f"{where}: id must be an integer")
        elif a.get("id") in ann_ids:
            problem(f"{where}: duplicate id")
        ann_ids.add(a.get("id"))
        im = images.get(a.get("image_id"))
        if im is None:
            problem(f"{where}: image_id {a.get('image_id')} is not an image")
            continue
        cat = cats.get(a.get("category_id"))
        if cat is None:
            problem(f"{where}: category_id {a.get('category_id')} is not a category")
        W, H = im["width"], im["height"]
        bbox = a.get("bbox")
        if not (isinstance(bbox, list) and len(bbox) == 4 and all(is_num(v) for v in bbox)):
            problem(f"{where}: bbox must be 4 numbers")
        else:
            x, y, w, h = bbox
            if w < 0 or h < 0 or x < -EPS or y < -EPS or x + w > W + EPS or y + h > H + EPS:
                problem(f"{where}: bbox {bbox} outside the {W}x{H} image")
        if a.get("iscrowd") not in (0, 1):
            problem(f"{where}: iscrowd must be 0 or 1")
        if not is_num(a.get("area")) or a["area"] < 0:
            problem(f"{where}: area must be a non-negative number")
        seg = a.get("segmentation", [])
        if a.get("iscrowd") == 0:
            if not isinstance(seg, list):
                problem(f"{where}: a non-crowd segmentation must be a list of polygons")
            else:
                for ring in seg:
                    if len(ring) < 6 or len(ring) % 2:
                        problem(f"{where}: polygon with {len(ring)} values (needs an even count >= 6)")
                    for k in range(0, len(ring) - 1, 2):
                        if not (-EPS <= ring[k] <= W + EPS and -EPS <= ring[k + 1] <= H + EPS):
                            problem(f"{where}: polygon point ({ring[k]}, {ring[k + 1]}) outside the image")
                            break
                        if isinstance(bbox, list) and len(bbox) == 4 and not (
                            bbox[0] - 1e-3 <= ring[k] <= bbox[0] + bbox[2] + 1e-3
                            and bbox[1] - 1e-3 <= ring[k + 1] <= bbox[1] + bbox[3] + 1e-3
                        ):
                            problem(f"{where}: polygon point ({ring[k]}, {ring[k + 1]}) outside its bbox {bbox}")
                            break
        elif a.get("iscrowd") == 1:
            # RLE: size is [height, width]; uncompressed counts cover every pixel.
            if not isinstance(seg, dict) or seg.get("size") != [H, W]:
                problem(f"{where}: a crowd segmentation must be RLE with size [{H}, {W}]")
            elif isinstance(seg.get("counts"), list) and sum(seg["counts"]) != W * H:
                problem(f"{where}: RLE counts sum to {sum(seg['counts'])}, not {W * H} pixels")
        if "keypoints" in a:
            kp = a["keypoints"]
            K = len(cat.get("keypoints", [])) if cat else 0
            if len(kp) != 3 * K:
                problem(f"{where}: {len(kp)} keypoint values, category has {K} keypoints")
            n = 0
            for k in range(0, len(kp) - 2, 3):
                px, py, v = kp[k : k + 3]
                if v not in (0, 1, 2):
                    problem(f"{where}: keypoint visibility {v}")
                elif v == 0 and (px != 0 or py != 0):
                    problem(f"{where}: an unlabelled keypoint must be 0,0,0")
                elif v > 0:
                    n += 1
                    if not (-EPS <= px <= W + EPS and -EPS <= py <= H + EPS):
                        problem(f"{where}: keypoint ({px}, {py}) outside the image")
            if a.get("num_keypoints") != n:
                problem(f"{where}: num_keypoints {a.get('num_keypoints')} but {n} labelled")
    return f"{len(images)} images, {len(d['annotations'])} annotations"


def yaml_names(yaml):
    """`names` of a data.yaml as a list: the map form (`  0: name`) or the flow list form."""
    block = re.search(r"^names:\s*\n((?:[ \t]+\d+:.*\n?)+)", yaml, re.M)
    if block:
        ids = [int(m) for m in re.findall(r"^\s+(\d+):", block.group(1), re.M)]
        return ids
    flow = re.search(r"^names:\s*\[(.*)\]\s*$", yaml, re.M)
    if flow:
        return list(range(len([n for n in flow.group(1).split(",") if n.strip()])))
    return None


def check_yolo(root, task):
    yaml = open(os.path.join(root, "data.yaml"), encoding="utf-8").read()
    ids = yaml_names(yaml)
    if ids is None:
        problem("data.yaml: no names")
        ids = []
    nc = len(ids)
    if ids != list(range(nc)):
        problem("data.yaml: names must map 0..nc-1")
    m = re.search(r"^nc:\s*(\d+)", yaml, re.M)
    if m and int(m.group(1)) != nc:
        problem(f"data.yaml: nc {m.group(1)} but {nc} names")
    for key in ("train", "val"):
        if not re.search(rf"^{key}:\s*\S", yaml, re.M):
            problem(f"data.yaml: no {key}")
    m = re.search(r"^kpt_shape:\s*\[(\d+),\s*(\d+)\]", yaml, re.M)
    kpt = (int(m.group(1)), int(m.group(2))) if m else None
    if task == "pose" and not kpt:
        problem("data.yaml: a pose dataset needs kpt_shape")
    m = re.search(r"^flip_idx:\s*\[(.*)\]", yaml, re.M)
    if m and kpt:
        flip = [int(v) for v in m.group(1).split(",") if v.strip()]
        if sorted(flip) != list(range(kpt[0])):
            problem(f"data.yaml: flip_idx {flip} is not a permutation of the {kpt[0]} keypoints")
    images = os.path.join(root, "images")
    stems = None
    if os.path.isdir(images):
        stems = {os.path.splitext(os.path.relpath(p, images))[0] for p in glob.glob(os.path.join(images, "**", "*"), recursive=True) if os.path.isfile(p)}
    lines = 0
    for path in glob.glob(os.path.join(root, "labels", "**", "*.txt"), recursive=True):
        if stems is not None and os.path.splitext(os.path.relpath(path, os.path.join(root, "labels")))[0] not in stems:
            problem(f"{os.path.relpath(path, root)}: no image with this name under images/")
        for no, line in enumerate(open(path, encoding="utf-8"), 1):
            vals = line.split()
            if not vals:
                continue
            lines += 1
            where = f"{os.path.relpath(path, root)} line {no}"
            if not vals[0].isdigit() or int(vals[0]) >= nc:
                problem(f"{where}: class {vals[0]} not in names")
            try:
                nums = [float(v) for v in vals[1:]]
            except ValueError:
                problem(f"{where}: a value is not a number")
                continue
            expected = {"detect": 4, "obb": 8}.get(task)
            if task == "pose" and kpt:
                expected = 4 + kpt[0] * kpt[1]
            if expected is not None and len(nums) != expected:
                problem(f"{where}: {len(nums)} values, expected {expected}")
                continue
            if task == "segment" and (len(nums) < 6 or len(nums) % 2):
                problem(f"{where}: a segment needs an even count >= 6 of coordinates")
            for k, v in enumerate(nums):
                is_vis = task == "pose" and kpt and kpt[1] == 3 and k >= 4 and (k - 4) % 3 == 2
                if is_vis and v not in (0, 1, 2):
                    problem(f"{where}: visibility {v}")
                elif not is_vis and not (0 <= v <= 1):
                    problem(f"{where}: value {v} outside [0, 1]")
            if task in ("detect", "pose"):
                xc, yc, w, h = nums[:4]
                if w < 0 or h < 0 or xc - w / 2 < -EPS or xc + w / 2 > 1 + EPS or yc - h / 2 < -EPS or yc + h / 2 > 1 + EPS:
                    problem(f"{where}: box {xc} {yc} {w} {h} reaches outside the image")
    return f"{lines} label lines, {nc} classes"


def check_voc(root):
    n = 0
    stems = set()
    for path in glob.glob(os.path.join(root, "Annotations", "*.xml")):
        n += 1
        stems.add(os.path.splitext(os.path.basename(path))[0])
        try:
            t = ET.parse(path).getroot()
        except ET.ParseError as e:
            problem(f"{path}: not XML ({e})")
            continue
        if t.tag != "annotation" or not t.findtext("filename"):
            problem(f"{path}: needs an <annotation> root with a <filename>")
        try:
            W = int(t.findtext("size/width"))
            H = int(t.findtext("size/height"))
        except (TypeError, ValueError):
            problem(f"{path}: <size> needs integer width and height")
            continue
        if W <= 0 or H <= 0:
            problem(f"{path}: size must be positive")
        for o in t.findall("object"):
            b = o.find("bndbox")
            try:
                x0, y0, x1, y1 = (int(b.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
            except (AttributeError, TypeError, ValueError):
                problem(f"{path}: an object needs integer xmin, ymin, xmax, ymax")
                continue
            if not (1 <= x0 <= x1 <= W and 1 <= y0 <= y1 <= H):
                problem(f"{path}: box {x0},{y0},{x1},{y1} not 1-based inclusive inside {W}x{H}")
            for k in ("difficult", "truncated"):
                if o.findtext(k) not in ("0", "1"):
                    problem(f"{path}: {k} must be 0 or 1")
            if not o.findtext("name"):
                problem(f"{path}: object without a name")
    lists = glob.glob(os.path.join(root, "ImageSets", "Main", "*.txt"))
    if not lists:
        problem("ImageSets/Main: no image lists")
    for path in lists:
        for no, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.strip() and line.strip() not in stems:
                problem(f"{os.path.relpath(path, root)} line {no}: {line.strip()} has no Annotations file")
    return f"{n} annotation files"


def main(argv):
    kind, path = argv[1], argv[2]
    if kind == "coco":
        summary = check_coco(path)
    elif kind == "yolo":
        summary = check_yolo(path, argv[3] if len(argv) > 3 else "detect")
    elif kind == "voc":
        summary = check_voc(path)
    else:
        print(f"unknown kind {kind}")
        return 2
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
