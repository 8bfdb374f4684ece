// Debian's libzip (libzip-dev), as the Swift modules see it: its types and constants. The library
// is not linked; it is loaded when a zip is written (IncidentEdges/Handoff/LibZip.swift). No state
// here: a header imported by several modules must not define any.
#include <zip.h>
