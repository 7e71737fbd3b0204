import type { Task } from '../../../../shared/model';

const firstWords = (text: string, max = 60): string => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
};

/** A short human title for a task, as the header shows it. */
export const taskTitle = (task: Task): string => {
  const d = task.data;
  if (d.kind === 'image') return d.image.fileName;
  if (d.kind === 'text') return d.title ?? firstWords(d.text);
  return firstWords(d.prompt);
};
