import { useAppStore } from '../store/hooks';
import { EventLog } from './EventLog';
import { OfflinePanel } from './OfflinePanel';
import { ProgressPanel } from './Progress';
import { RebootCard } from './RebootCard';
import { ResultPanel } from './Result';
import { StatusHeader } from './StatusHeader';
import { UnavailablePanel } from './UnavailablePanel';
import { UpdateControls } from './UpdateControls';

export function HomeView() {
  const unavailable = useAppStore((s) => s.app!.availability.kind === 'unavailable');
  return (
    <div className="view view--home">
      {unavailable ? <UnavailablePanel /> : <StatusHeader />}
      <RebootCard />
      <UpdateControls />
      <ProgressPanel />
      <ResultPanel />
      {!unavailable && <OfflinePanel />}
      {!unavailable && <EventLog />}
    </div>
  );
}
