#include "textassets.h"

namespace Outpost::TextAssets {

QString stopWordsPath()
{
    return QStringLiteral(":/text/stopwords_en.txt");
}

} // namespace Outpost::TextAssets
