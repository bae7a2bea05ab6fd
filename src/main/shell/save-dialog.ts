/** Electron's save dialog for a recording export, over the window that asked. */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, type FileFilter, type SaveDialogOptions } from 'electron';
import type { ExportKind, ExportPathChooser } from './save-export';

const FILTERS: Record<ExportKind, FileFilter> = {
  zip: { name: 'ZIP of JPEG frames and results.jsonl', extensions: ['zip'] },
  mp4: { name: 'MP4 video', extensions: ['mp4'] },
};

export const chooseExportPath: ExportPathChooser = async (suggestedName, kind) => {
  const options: SaveDialogOptions = {
    title: 'Save recording',
    defaultPath: join(app.getPath('downloads'), suggestedName),
    filters: [FILTERS[kind]],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const picked = parent
    ? await dialog.showSaveDialog(parent, options)
    : await dialog.showSaveDialog(options);
  return picked.canceled || !picked.filePath ? null : picked.filePath;
};
