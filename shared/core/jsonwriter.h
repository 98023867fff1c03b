#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>

namespace Outpost {

// Writes compact JSON straight into a byte array: no QJsonObject tree, no second pass. For
// hot responses (lists of posts); QJsonObject stays the tool everywhere else. The caller
// keeps the structure valid; the writer handles commas and string escaping.
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &out)
        : m_out(out)
    { }

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }

    // `name` is a plain ASCII key (no escaping needed).
    JsonWriter &key(QByteArrayView name);
    JsonWriter &value(const QString &text);
    JsonWriter &value(qint64 number);
    JsonWriter &value(int number) { return value(qint64(number)); }
    JsonWriter &value(bool flag);
    JsonWriter &value(double number);
    JsonWriter &null();
    // Already-serialised JSON (an object written elsewhere).
    JsonWriter &raw(QByteArrayView json);

    static void appendEscaped(QByteArray &out, const QString &text);

private:
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);
    void separate();

    QByteArray &m_out;
    std::uint64_t m_hasItems = 0; // one bit per nesting level (64 levels are plenty)
    int m_depth = 0;
    bool m_afterKey = false;
};

} // namespace Outpost
