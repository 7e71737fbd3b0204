import { useState, type CSSProperties } from 'react';
import type { EditorProps } from '../../editor/types';
import { ClassPalette } from './ClassPalette';
import { chosenLabels } from './class-toggle';
import { EditorSidePanel } from './side-panel';
import { useClassResults } from './use-class-results';

/**
 * Image-level classification: the image fitted to the area, the config's class groups in the
 * side panel with their hotkeys. Stands in for image tasks until the full image editor
 * (boxes, polygons …) registers itself; results it does not know are kept as they are.
 */
export function ImageClassEditor({ view, initial, onChange, assetUrl }: EditorProps) {
  const data = view.task.data;
  const groups = view.project.labelConfig.classes;
  const { results, toggle } = useClassResults(initial, groups, 'image-class', onChange);
  const [load, setLoad] = useState<'loading' | 'loaded' | 'error'>('loading');
  if (data.kind !== 'image') return null;
  const { image } = data;

  const chosen = groups.flatMap((g) =>
    chosenLabels(results, 'image-class', g.name).map((label) => ({
      key: `${g.name}/${label}`,
      label,
      color: g.options.find((o) => o.name === label)?.color ?? '#868e96',
    })),
  );

  return (
    <div className="image-editor" data-testid="image-class-editor">
      <div className="image-stage" data-state={load}>
        <img
          key={image.sha256}
          src={assetUrl(image.sha256)}
          width={image.width}
          height={image.height}
          alt={image.fileName}
          draggable={false}
          onLoad={() => setLoad('loaded')}
          onError={() => setLoad('error')}
        />
        {load === 'error' && <p className="stage-message">This image could not be loaded.</p>}
        {chosen.length > 0 && (
          <ul className="image-badges" data-testid="chosen-classes">
            {chosen.map((c) => (
              <li key={c.key} style={{ '--class-color': c.color } as CSSProperties}>
                {c.label}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="image-meta muted">
        {image.fileName} · {image.width}×{image.height}
      </div>
      <EditorSidePanel>
        {groups.length > 0 ? (
          <ClassPalette groups={groups} results={results} type="image-class" onToggle={toggle} />
        ) : (
          <p className="panel-empty">This project defines no image classes.</p>
        )}
      </EditorSidePanel>
    </div>
  );
}
