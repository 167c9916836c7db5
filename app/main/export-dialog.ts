/** The ExportPort on a native Save dialog: the user picks the file; the renderer never names a path. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFormat, ExportPort } from './ports';

export interface SaveDialog {
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

export function createDialogExporter(options: {
  dialog: SaveDialog;
  documentsDir: () => string;
  /** The dialog's title in the window's language (the message table's history.exportTitle). */
  title: () => string;
}): ExportPort {
  return {
    async choosePath(format: ExportFormat, suggestedName: string) {
      const result = await options.dialog.showSaveDialog({
        title: options.title(),
        defaultPath: join(options.documentsDir(), suggestedName),
        filters: format === 'csv' ? [{ name: 'CSV', extensions: ['csv'] }] : [{ name: 'JSON', extensions: ['json'] }],
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    // The contents are complete (the CSV brings its own byte-order mark).
    writeFile: (path, contents) => writeFile(path, contents, 'utf8'),
  };
}
