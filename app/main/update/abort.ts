/** How to ask Defender to abort an update, given what the real DLL accepts (docs/mpclient.md "Cancel"). */
import { HR, MPCONTROL_ABORT } from '../mpclient/constants';
import type { MpClientLibrary, MpHandle } from '../mpclient/binding';

/**
 * MpUpdateControl with the manager handle, which is what the real DLL accepts (it answers E_HANDLE for the update
 * handle). Newer builds are unverified, so an E_HANDLE from the manager handle gets one more try with the update
 * handle, as the docs describe it. Returns the HRESULT of the last call made.
 */
export async function abortUpdate(lib: Pick<MpClientLibrary, 'updateControl'>, manager: MpHandle, update: MpHandle | null): Promise<number> {
  const hr = await lib.updateControl(manager, MPCONTROL_ABORT);
  if (hr !== HR.E_HANDLE || update === null) return hr;
  return lib.updateControl(update, MPCONTROL_ABORT);
}
