import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Labeling shortcuts live in the renderer (they depend on the task's
 * label config); the menu carries the window-level ones so they work from any screen.
 */
export const buildMenuTemplate = (opts: {
  appName: string;
  isMac: boolean;
  isDev: boolean;
}): MenuItemConstructorOptions[] => {
  const appMenu: MenuItemConstructorOptions[] = opts.isMac
    ? [
        {
          label: opts.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        opts.isMac ? { role: 'close', accelerator: 'CmdOrCtrl+W' } : { role: 'quit', accelerator: 'Ctrl+Q' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo', accelerator: 'CmdOrCtrl+Z' },
        { role: 'redo', accelerator: opts.isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y' },
        { type: 'separator' },
        { role: 'cut', accelerator: 'CmdOrCtrl+X' },
        { role: 'copy', accelerator: 'CmdOrCtrl+C' },
        { role: 'paste', accelerator: 'CmdOrCtrl+V' },
        { role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload', accelerator: 'CmdOrCtrl+R' },
        ...(opts.isDev ? [{ role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
        { role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
        { role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
        { type: 'separator' },
        { role: 'togglefullscreen', accelerator: opts.isMac ? 'Ctrl+Cmd+F' : 'F11' },
      ],
    },
    { label: '&Window', submenu: [{ role: 'minimize', accelerator: 'CmdOrCtrl+M' }, { role: 'close' }] },
  ];
};
