#include "jsonwriter.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace Outpost {

namespace {

// One size check and one copy: QByteArray::append() goes through insert() with its detach and
// growth checks per call, which made writing a key cost more than escaping a short string.
void appendBytes(QByteArray &out, const char *data, qsizetype size)
{
    const qsizetype start = out.size();
    out.resize(start + size);
    std::memcpy(out.data() + start, data, size_t(size));
}

// A lower-case hex digit for 0..15.
char hexDigit(unsigned value)
{
    return char(value < 10 ? '0' + value : 'a' + value - 10);
}

// How many of the UTF-16 units at `data` (up to `size`, in whole groups of four) are printable
// ASCII other than '"' and '\\', which JSON takes as they are; narrowed into `out`. Four units
// are tested at once in a 64-bit word (bit tricks, exact for the "all plain" answer: a false
// alarm only sends a group down the careful path), which makes the common case of ASCII text
// several times cheaper than a branch per unit. Little-endian only; elsewhere it takes none.
qsizetype copyPlainAscii(const char16_t *data, qsizetype size, char *out)
{
    if constexpr (std::endian::native != std::endian::little)
        return 0;
    constexpr std::uint64_t ones = 0x0001'0001'0001'0001;
    constexpr std::uint64_t highBits = 0x8000'8000'8000'8000;
    const auto hasZeroUnit = [](std::uint64_t v) { return (v - ones) & ~v & highBits; };
    qsizetype done = 0;
    for (; done + 4 <= size; done += 4) {
        std::uint64_t units = 0;
        std::memcpy(&units, data + done, sizeof units);
        const std::uint64_t special = (units & (0xFF80 * ones)) // not ASCII
            | ((units - 0x20 * ones) & highBits)                // a control character
            | hasZeroUnit(units ^ (0x22 * ones))                // '"'
            | hasZeroUnit(units ^ (0x5C * ones));               // '\\'
        if (special != 0)
            break;
        out[done] = char(units);
        out[done + 1] = char(units >> 16);
        out[done + 2] = char(units >> 32);
        out[done + 3] = char(units >> 48);
    }
    return done;
}

} // namespace

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_depth > 0) {
        const std::uint64_t bit = std::uint64_t(1) << (m_depth - 1);
        if (m_hasItems & bit)
            m_out.append(',');
        m_hasItems |= bit;
    }
}

JsonWriter &JsonWriter::open(char bracket)
{
    separate();
    m_out.append(bracket);
    ++m_depth;
    m_hasItems &= ~(std::uint64_t(1) << (m_depth - 1));
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out.append(bracket);
    --m_depth;
    return *this;
}

JsonWriter &JsonWriter::key(QByteArrayView name)
{
    // `"` name `":` and, unless first in its object, a leading comma: one append.
    std::array<char, 64> buffer {};
    const qsizetype size = name.size();
    if (size > qsizetype(buffer.size()) - 4) {
        separate();
        m_out.append('"').append(name).append("\":");
        m_afterKey = true;
        return *this;
    }
    char *p = buffer.data();
    if (m_depth > 0) {
        const std::uint64_t bit = std::uint64_t(1) << (m_depth - 1);
        if (m_hasItems & bit)
            *p++ = ',';
        m_hasItems |= bit;
    }
    *p++ = '"';
    std::memcpy(p, name.data(), size_t(size));
    p += size;
    *p++ = '"';
    *p++ = ':';
    appendBytes(m_out, buffer.data(), p - buffer.data());
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(const QString &text)
{
    separate();
    appendEscaped(m_out, text);
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    separate();
    std::array<char, 24> buffer {};
    const char *end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number).ptr;
    appendBytes(m_out, buffer.data(), end - buffer.data());
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    separate();
    m_out.append(flag ? "true" : "false");
    return *this;
}

JsonWriter &JsonWriter::value(double number)
{
    separate();
    m_out.append(QByteArray::number(number, 'g', 17));
    return *this;
}

JsonWriter &JsonWriter::null()
{
    separate();
    m_out.append("null");
    return *this;
}

JsonWriter &JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out.append(json);
    return *this;
}

void JsonWriter::appendEscaped(QByteArray &out, const QString &text)
{
    // Worst case 6 bytes per UTF-16 unit (\u00XX), plus the quotes: size once, write through a
    // pointer, trim at the end. Appending byte by byte costs several times more.
    const qsizetype start = out.size();
    const qsizetype size = text.size();
    out.resize(start + size * 6 + 2);
    char *p = out.data() + start;
    *p++ = '"';
    const auto *data = reinterpret_cast<const char16_t *>(text.utf16());
    for (qsizetype i = 0; i < size; ++i) {
        if (const qsizetype plain = copyPlainAscii(data + i, size - i, p); plain > 0) {
            p += plain;
            i += plain;
            if (i == size)
                break;
        }
        const char16_t c = data[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\') {
                *p++ = char(c);
                continue;
            }
            *p++ = '\\';
            switch (c) {
            case u'"':
                *p++ = '"';
                break;
            case u'\\':
                *p++ = '\\';
                break;
            case u'\n':
                *p++ = 'n';
                break;
            case u'\r':
                *p++ = 'r';
                break;
            case u'\t':
                *p++ = 't';
                break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hexDigit((c >> 4) & 0xF);
                *p++ = hexDigit(c & 0xF);
            }
        } else if (c < 0x800) {
            *p++ = char(0xC0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < size && data[i + 1] >= 0xDC00
            && data[i + 1] <= 0xDFFF) {
            const char32_t cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (data[i + 1] - 0xDC00);
            ++i;
            *p++ = char(0xF0 | (cp >> 18));
            *p++ = char(0x80 | ((cp >> 12) & 0x3F));
            *p++ = char(0x80 | ((cp >> 6) & 0x3F));
            *p++ = char(0x80 | (cp & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            *p++ = char(0xEF); // a lone surrogate becomes U+FFFD
            *p++ = char(0xBF);
            *p++ = char(0xBD);
        } else {
            *p++ = char(0xE0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3F));
            *p++ = char(0x80 | (c & 0x3F));
        }
    }
    *p++ = '"';
    out.resize(p - out.constData());
}

} // namespace Outpost
