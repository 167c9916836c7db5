/** Must equal `appId` in electron-builder.yml: Windows groups notifications and the taskbar button by it. */
export const APP_USER_MODEL_ID = 'com.defenderupdater.app';
