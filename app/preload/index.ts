/** The preload: one frozen API object on `window.defender`, built from the shared contract. Nothing else. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridgeApi } from '../shared/bridge-api';
import { BRIDGE_KEY } from '../shared/ipc-channels';
import { createIpcTransport } from './ipc-transport';

contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridgeApi(createIpcTransport(ipcRenderer, webUtils)));
