; The camera port: a Windows firewall rule letting cameras on the lab's network
; (private and domain networks, never public ones) reach the station. It names
; the app's own executable. The port is the station's default, 8765: a station
; moved to another port (STATION_PORT) needs its own rule (docs/install.md).
!macro customInstall
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Foregsyte Station cameras"'
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Foregsyte Station cameras" dir=in action=allow protocol=TCP localport=8765 profile=private,domain program="$INSTDIR\${APP_EXECUTABLE_FILENAME}"'
!macroend

!macro customUnInstall
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Foregsyte Station cameras"'
!macroend
