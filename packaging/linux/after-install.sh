#!/bin/bash
# The .deb's post-install script: the command on the PATH, and Chromium's sandbox
# helper root-owned with mode 4755, which Ubuntu 23.10+ needs (its AppArmor keeps
# unprivileged user namespaces from Chromium's other sandbox).

ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'

chown root:root '/opt/${sanitizedProductName}/chrome-sandbox'
chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'

if hash update-mime-database 2>/dev/null; then
  update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi
