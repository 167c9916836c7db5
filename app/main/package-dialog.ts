/**
 * *Update from file…*: Windows' Open dialog, in the app's language, starting in Downloads (where a browser saves
 * mpam-fe.exe). The user picks the file; the window never names a path.
 */
import { translator, type Lang } from '../shared/messages';
import type { PackageDialogPort } from './ports';

export interface OpenDialog {
  showOpenDialog(options: {
    title: string;
    defaultPath: string;
    buttonLabel: string;
    filters: { name: string; extensions: string[] }[];
    properties: Array<'openFile'>;
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export function createPackageDialog(options: { dialog: OpenDialog; downloadsDir: () => string; language: () => Lang }): PackageDialogPort {
  return {
    async choosePackage() {
      const t = translator(options.language());
      const result = await options.dialog.showOpenDialog({
        title: t('packageDialog.title'),
        defaultPath: options.downloadsDir(),
        buttonLabel: t('packageDialog.button'),
        filters: [{ name: t('packageDialog.filter'), extensions: ['exe'] }],
        properties: ['openFile'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
