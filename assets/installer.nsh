; Defender Updater's additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; Registers the Windows Event Log source the app writes its update results under (EVENT_SOURCE in
; app/main/event-log/event-record.ts), so Event Viewer shows each event's text instead of "The description for Event
; ID ... cannot be found", and removes it on uninstall.
;
; Elevation: the installer is per-user and asks for no administrator rights (nsis.perMachine: false), and the source
; lives under HKLM. The registration therefore happens only when the installer itself runs with administrator rights
; (Run as administrator, or a deployment tool that runs it elevated); otherwise the write fails quietly and is skipped.
; The app writes its events either way: an unregistered source only changes how Event Viewer words them (README,
; "Administrators").
;
; EventMessageFile: the app carries no message table. The .NET Framework 4 EventLogMessages.dll, part of every
; Windows 10 and 11, maps every event ID to "%1", the event's own text; it is what .NET's EventLog and Windows
; PowerShell's New-EventLog register. Event Viewer loads it as a resource file, so either copy serves any architecture:
; both are listed and the first that loads is used (MS-EVEN 3.2.4.1.4). REG_EXPAND_SZ, for %SystemRoot% (KB166902).
; TypesSupported 7: error, warning and information.
;
; The app registers its URL scheme (defender-updater:, for the buttons of its notifications; app/main/activation.ts)
; for the user at run time with app.setAsDefaultProtocolClient; the uninstaller removes it with the app.

!define DU_EVENT_SOURCE_KEY "SYSTEM\CurrentControlSet\Services\EventLog\Application\Defender Updater"
!define DU_URL_SCHEME_KEY "Software\Classes\defender-updater"
!define DU_EVENT_MESSAGE_FILE "%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll;%SystemRoot%\Microsoft.NET\Framework\v4.0.30319\EventLogMessages.dll"

!macro customInstall
  ClearErrors
  WriteRegExpandStr HKLM "${DU_EVENT_SOURCE_KEY}" "EventMessageFile" "${DU_EVENT_MESSAGE_FILE}"
  WriteRegDWORD HKLM "${DU_EVENT_SOURCE_KEY}" "TypesSupported" 7
  ${If} ${Errors}
    DetailPrint "Event Log source not registered: that needs administrator rights. Events are written all the same."
  ${EndIf}
!macroend

!macro customUnInstall
  ; An update runs the old version's uninstaller first (with --updated): the source stays registered then.
  ${IfNot} ${isUpdated}
    ClearErrors
    DeleteRegKey HKLM "${DU_EVENT_SOURCE_KEY}"
    DeleteRegKey HKCU "${DU_URL_SCHEME_KEY}"
  ${EndIf}
!macroend
