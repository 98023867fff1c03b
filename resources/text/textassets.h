#pragma once

#include <QString>

namespace Outpost::TextAssets {

// The embedded English stop-word list (SMART), one word per line, '#' comments.
QString stopWordsPath();

} // namespace Outpost::TextAssets
