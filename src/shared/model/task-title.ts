import type { TaskData } from './task';

const clip = (s: string, n: number): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  const cps = [...flat];
  return cps.length <= n ? flat : `${cps.slice(0, n - 1).join('')}…`;
};

/** The one-line title a queue row shows for a task. */
export const taskTitle = (data: TaskData, explicit?: string): string => {
  if (explicit && explicit.trim()) return clip(explicit, 120);
  switch (data.kind) {
    case 'image':
      return data.image.fileName;
    case 'text':
      return clip(data.title ?? data.text, 80);
    case 'comparison':
      return clip(data.prompt, 80);
  }
};
