/**
 * *Update from file…*: Windows' Open dialog, in the app's language, starting in Downloads (where a browser saves
 * mpam-fe.exe). The user picks the file; the window never names a path.
 */
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

// Two phrases of the dialog's own; they belong with the app's other texts once main has one message table.
const TEXTS = {
  en: { title: 'Update from a downloaded package', button: 'Update from this file', filter: 'Security intelligence package (mpam-fe.exe)' },
  ru: {
    title: 'Обновить из скачанного пакета',
    button: 'Обновить из этого файла',
    filter: 'Пакет аналитики безопасности (mpam-fe.exe)',
  },
} as const;

export function createPackageDialog(options: { dialog: OpenDialog; downloadsDir: () => string; locale: () => 'en' | 'ru' }): PackageDialogPort {
  return {
    async choosePackage() {
      const text = TEXTS[options.locale()];
      const result = await options.dialog.showOpenDialog({
        title: text.title,
        defaultPath: options.downloadsDir(),
        buttonLabel: text.button,
        filters: [{ name: text.filter, extensions: ['exe'] }],
        properties: ['openFile'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
