// Debian's libqrencode (libqrencode-dev), as the Swift modules see it. No state here: a header
// imported by several modules must not define any (each would get its own copy).
#include <qrencode.h>
