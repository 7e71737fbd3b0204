import { createElement, type ComponentType, type ReactElement } from 'react';
import type { TaskKind } from '../../../../shared/model';
import type { EditorProps } from '../../editor/types';
import { ComparisonEditor } from '../../editor/text/ComparisonEditor';
import { TextEditor } from '../../editor/text/TextEditor';
import { ImageEditor } from '../../editor/image/ImageEditor';

/**
 * Which editor opens which kind of task. The image and text editors replace these entries with
 * their own components (which take the same EditorProps) when they land.
 */
export const editors: Record<TaskKind, ComponentType<EditorProps>> = {
  image: ImageEditor,
  text: TextEditor,
  comparison: ComparisonEditor,
};

/** The editor for the task in `props.view`, as an element (the component is looked up, not made). */
export const renderEditor = (props: EditorProps): ReactElement =>
  createElement(editors[props.view.task.data.kind], props);
