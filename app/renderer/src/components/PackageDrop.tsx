/**
 * A file dragged over the window: a full-window target that says what dropping it does. The drop hands the File to the
 * bridge, whose preload reads its path and sends it to main (webUtils.getPathForFile); the page never reads the file
 * and never learns the path. Without this, Chromium would try to open the dropped file, which the app forbids.
 */
import { useEffect, useState } from 'react';
import { useActions, useAppStore, useT } from '../store/hooks';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

export function PackageDrop() {
  const t = useT();
  const loaded = useAppStore((s) => s.app !== null);
  const { updateFromDroppedFile, setView } = useActions();
  const [over, setOver] = useState(false);
  useEffect(() => {
    if (!loaded) return;
    // dragenter/dragleave fire for every child crossed; counting them tells when the pointer really left the window.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth += 1;
      setOver(true);
    };
    const overWindow = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      setView('home');
      void updateFromDroppedFile(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [loaded, updateFromDroppedFile, setView]);
  if (!over) return null;
  return (
    <div className="drop" data-testid="drop-target">
      <p className="drop__text">{t('offline.drop')}</p>
    </div>
  );
}
