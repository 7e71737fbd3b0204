import { createElement, type ComponentType, type ReactElement } from 'react';
import type { TaskKind } from '../../../../shared/model';
import type { EditorProps } from '../../editor/types';
import { ImageClassEditor } from './ImageClassEditor';
import { TextFallbackView } from './TextFallbackView';

/**
 * Which editor opens which kind of task. The image and text editors replace these entries with
 * their own components (which take the same EditorProps) when they land.
 */
export const editors: Record<TaskKind, ComponentType<EditorProps>> = {
  image: ImageClassEditor,
  text: TextFallbackView,
  comparison: TextFallbackView,
};

/** The editor for the task in `props.view`, as an element (the component is looked up, not made). */
export const renderEditor = (props: EditorProps): ReactElement =>
  createElement(editors[props.view.task.data.kind], props);
