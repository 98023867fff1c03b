#include "requestid.h"

#include <QRandomGenerator>

namespace Outpost::Server {

QByteArray newRequestId()
{
    // Per thread, seeded once from the system source: no lock on the hot path.
    thread_local QRandomGenerator64 generator = [] {
        quint32 seed[8];
        QRandomGenerator::system()->fillRange(seed);
        return QRandomGenerator64(seed, 8);
    }();
    const quint64 words[2] = {generator.generate(), generator.generate()};
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
}

} // namespace Outpost::Server
