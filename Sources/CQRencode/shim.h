// Debian's libqrencode (libqrencode-dev), as the Swift modules see it: its types and constants. The
// library is not linked; it is loaded when a QR code is made (IncidentEdges/Handoff/QRCode.swift).
// No state here: a header imported by several modules must not define any.
#include <qrencode.h>
