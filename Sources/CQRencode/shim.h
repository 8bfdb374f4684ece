// Debian's libqrencode (libqrencode-dev), as the Swift modules see it, linked (module.modulemap).
// No state here: a header imported by several modules must not define any.
#include <qrencode.h>
