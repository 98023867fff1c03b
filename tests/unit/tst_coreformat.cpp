// JsonWriter and the hand-written RFC 3339 conversions agree with Qt's own.
#include "core/jsonwriter.h"
#include "core/timeformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace Outpost;

class TestCoreFormat final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesNestedStructuresWithCommas()
    {
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().key("a").value(qint64(1)).key("b").beginArray().value(true).null().value(
            QStringLiteral("x"));
        w.beginObject().endObject().endArray().key("c").value(2.5).endObject();
        QCOMPARE(out, QByteArray(R"({"a":1,"b":[true,null,"x",{}],"c":2.5})"));
    }

    void writesIntegerExtremesAndLongKeysLikeQt()
    {
        const QByteArray longKey(100, 'k');
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().key("min").value(std::numeric_limits<qint64>::min());
        w.key("max").value(std::numeric_limits<qint64>::max()).key("zero").value(qint64(0));
        w.key("neg").value(-42).key(longKey).beginObject().key("in").value(1).key("x").value(2);
        w.endObject().key("after").beginArray().value(qint64(7)).value(-7).endArray().endObject();
        const QJsonDocument parsed = QJsonDocument::fromJson(out);
        QVERIFY2(parsed.isObject(), out.constData());
        QCOMPARE(out,
            QByteArray(R"({"min":-9223372036854775808,"max":9223372036854775807,"zero":0,)"
                       R"("neg":-42,")")
                + longKey + QByteArray(R"(":{"in":1,"x":2},"after":[7,-7]})"));
    }

    void escapesStringsExactlyAsJsonRequires_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << QStringLiteral("hello");
        QTest::newRow("quotes and backslash") << QStringLiteral("say \"hi\" \\ bye");
        QTest::newRow("controls") << QString::fromUtf8("a\nb\rc\td\x01\x1f");
        QTest::newRow("latin-1 and cjk") << QStringLiteral("Straße 東京");
        QTest::newRow("emoji (surrogate pair)") << QString::fromUtf8("ok \xF0\x9F\x91\x8D");
        QTest::newRow("html stays as text") << QStringLiteral("<script>alert(1)</script>");
        // ASCII is copied four characters at a time: put each kind of character that needs
        // care at every offset of such a group, and at the ends.
        const QList<QPair<const char *, QString>> specials {{"quote", QStringLiteral("\"")},
            {"backslash", QStringLiteral("\\")}, {"newline", QStringLiteral("\n")},
            {"unit separator", QString(QChar(0x1f))}, {"nul", QString(QChar(0))},
            {"delete", QString(QChar(0x7f))}, {"e acute", QStringLiteral("\u00e9")},
            {"euro", QStringLiteral("\u20ac")}, {"space", QStringLiteral(" ")}};
        for (const auto &[name, special] : specials) {
            for (int at = 0; at <= 9; ++at) {
                QString text = QStringLiteral("abcdefghi");
                text.insert(at, special);
                QTest::addRow("%s at %d", name, at) << text;
            }
        }
    }

    void escapesStringsExactlyAsJsonRequires()
    {
        QFETCH(QString, text);
        QByteArray out;
        JsonWriter(out).beginArray().value(text).endArray();
        QJsonParseError error {};
        const QJsonDocument parsed = QJsonDocument::fromJson(out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.array().at(0).toString(), text);
    }

    void randomStringsRoundTripThroughQtsParser()
    {
        QRandomGenerator random(42);
        for (int round = 0; round < 500; ++round) {
            QString text;
            const int length = int(random.bounded(40));
            for (int i = 0; i < length; ++i) {
                auto c = char16_t(random.bounded(0x10000));
                if (c >= 0xD800 && c <= 0xDFFF)
                    c = u'x'; // lone surrogates are not valid text
                text.append(QChar(c));
            }
            QByteArray out;
            JsonWriter(out).beginArray().value(text).endArray();
            QCOMPARE(QJsonDocument::fromJson(out).array().at(0).toString(), text);
        }
    }

    void formatsLikeQtIsoDate()
    {
        QRandomGenerator random(7);
        for (int i = 0; i < 1000; ++i) {
            const qint64 ms = qint64(random.bounded(253402300799LL)) * 1000; // years 1970..9999
            const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            QCOMPARE(toRfc3339(time), time.toString(Qt::ISODate));
            QCOMPARE(fromRfc3339(toRfc3339(time)), time);
        }
        QCOMPARE(toRfc3339(QDateTime()), QString());
    }

    void parsesMillisecondsAndFallsBackToQt()
    {
        QCOMPARE(fromRfc3339(QStringLiteral("2026-11-22T10:00:00.123Z")).toMSecsSinceEpoch() % 1000,
            123);
        QCOMPARE(fromRfc3339(QStringLiteral("2026-11-22T11:00:00+01:00")),
            fromRfc3339(QStringLiteral("2026-11-22T10:00:00Z")));
        QVERIFY(!fromRfc3339(QStringLiteral("not a date")).isValid());
        QVERIFY(!fromRfc3339(QStringLiteral("2026-13-22T10:00:00Z")).isValid());
        QCOMPARE(fromRfc3339(QStringLiteral("1969-12-31T23:59:59Z")).toMSecsSinceEpoch(), -1000);
    }

    void appendsTimesToByteArrays()
    {
        QByteArray out("at=");
        appendRfc3339(out, QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
        QCOMPARE(out, QByteArray("at=1970-01-01T00:00:00Z"));
    }
};

QTEST_GUILESS_MAIN(TestCoreFormat)
#include "tst_coreformat.moc"
