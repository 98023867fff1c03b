#include "services/keyphrases.h"

#include <QTest>

#include <cmath>

using namespace Outpost::Server;

namespace {

// The abstract of the RAKE paper's worked example (Rose et al. 2010).
const QString paperAbstract = QStringLiteral(
    "Compatibility of systems of linear constraints over the set of natural numbers. Criteria of "
    "compatibility of a system of linear Diophantine equations, strict inequations, and nonstrict "
    "inequations are considered. Upper bounds for components of a minimal set of solutions and "
    "algorithms of construction of minimal generating sets of solutions for all types of systems "
    "are given. These criteria and the corresponding algorithms for constructing a minimal "
    "supporting set of solutions can be used in solving all the considered types of systems and "
    "systems of mixed types.");

QStringList phrasesOf(const QList<std::pair<QString, double>> &ranked)
{
    QStringList phrases;
    for (const auto &entry : ranked)
        phrases.append(entry.first);
    return phrases;
}

} // namespace

class TestKeyPhrases final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ranksThePaperExampleLikeThePaper()
    {
        const QStringList top = KeyPhrases::extract(QString(), paperAbstract, 3);
        QCOMPARE(top,
            QStringList({QStringLiteral("minimal generating sets"),
                QStringLiteral("linear diophantine equations"),
                QStringLiteral("minimal supporting set")}));
    }

    void scoresThePaperExampleLikeThePaper_data()
    {
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<double>("paperScore");
        QTest::addColumn<int>("paperRank");
        // The paper's candidate scores; ties (4.0) are listed in order of first occurrence.
        QTest::newRow("1") << QStringLiteral("minimal generating sets") << 8.7 << 0;
        QTest::newRow("2") << QStringLiteral("linear diophantine equations") << 8.5 << 1;
        QTest::newRow("3") << QStringLiteral("minimal supporting set") << 7.7 << 2;
        QTest::newRow("4") << QStringLiteral("minimal set") << 4.7 << 3;
        QTest::newRow("5") << QStringLiteral("linear constraints") << 4.5 << 4;
        QTest::newRow("6") << QStringLiteral("natural numbers") << 4.0 << 5;
        QTest::newRow("7") << QStringLiteral("strict inequations") << 4.0 << 6;
        QTest::newRow("8") << QStringLiteral("nonstrict inequations") << 4.0 << 7;
        QTest::newRow("9") << QStringLiteral("upper bounds") << 4.0 << 8;
    }

    void scoresThePaperExampleLikeThePaper()
    {
        QFETCH(QString, phrase);
        QFETCH(double, paperScore);
        QFETCH(int, paperRank);
        const auto ranked = KeyPhrases::scored(paperAbstract);
        const qsizetype rank = phrasesOf(ranked).indexOf(phrase);
        QCOMPARE(rank, qsizetype(paperRank));
        QVERIFY2(std::abs(ranked[rank].second - paperScore) < 0.1,
            qPrintable(QString::number(ranked[rank].second)));
    }

    void dropsPhrasesOfStopWordsOnTheSmartList()
    {
        // "corresponding" is a SMART stop word (unlike in the paper's list), so the paper's
        // "corresponding algorithms" (3.5) is not a candidate; "algorithms" stands alone.
        const QStringList phrases = phrasesOf(KeyPhrases::scored(paperAbstract));
        QVERIFY(!phrases.contains(QStringLiteral("corresponding algorithms")));
        QVERIFY(phrases.contains(QStringLiteral("algorithms")));
    }

    void returnsNothingForEmptyText()
    {
        QVERIFY(KeyPhrases::extract(QString(), QString()).isEmpty());
        QVERIFY(KeyPhrases::scored(QString()).isEmpty());
        QVERIFY(KeyPhrases::scored(QStringLiteral("  \n\t ... !? ")).isEmpty());
    }

    void returnsNothingForOnlyStopWords()
    {
        QVERIFY(KeyPhrases::extract(
            QStringLiteral("And the"), QStringLiteral("It is what it is, and they would be there."))
                    .isEmpty());
    }

    void respectsMaxPhrases()
    {
        QCOMPARE(KeyPhrases::extract(QString(), paperAbstract, 2).size(), 2);
        QCOMPARE(KeyPhrases::extract(QString(), paperAbstract).size(), 10);
        QVERIFY(KeyPhrases::extract(QString(), paperAbstract, 0).isEmpty());
        QVERIFY(KeyPhrases::extract(QString(), paperAbstract, -1).isEmpty());
        QCOMPARE(KeyPhrases::extract(QString(), QStringLiteral("green apples"), 10),
            QStringList({QStringLiteral("green apples")}));
    }

    void splitsAtPunctuation_data()
    {
        QTest::addColumn<QString>("text");
        for (const QString &mark :
            {QStringLiteral(". "), QStringLiteral(","), QStringLiteral(";"), QStringLiteral(":"),
                QStringLiteral("!"), QStringLiteral("?"), QStringLiteral("("), QStringLiteral(")"),
                QStringLiteral("["), QStringLiteral("]"), QStringLiteral("{"), QStringLiteral("}"),
                QStringLiteral("\""), QStringLiteral(" - "), QStringLiteral("--"),
                QStringLiteral("\u2014"), QStringLiteral("\u2013"), QStringLiteral(" 'quoted' "),
                QStringLiteral("\u201c"), QStringLiteral("\n"), QStringLiteral("/")}) {
            QTest::newRow(qPrintable(mark))
                << (QStringLiteral("green apples") + mark + QStringLiteral("red cherries"));
        }
    }

    void splitsAtPunctuation()
    {
        QFETCH(QString, text);
        const QStringList phrases = phrasesOf(KeyPhrases::scored(text));
        QVERIFY2(phrases.contains(QStringLiteral("green apples")), qPrintable(phrases.join(u'|')));
        QVERIFY2(phrases.contains(QStringLiteral("red cherries")), qPrintable(phrases.join(u'|')));
    }

    void keepsDotsInsideWords()
    {
        // A dot between two letters or digits is part of the word; a sentence's dot is followed
        // by a space.
        QCOMPARE(
            phrasesOf(KeyPhrases::scored(QStringLiteral("Node.js streams. Python 3.12 wheels"))),
            QStringList({QStringLiteral("python 3.12 wheels"), QStringLiteral("node.js streams")}));
    }

    void joinsWordsAcrossSpacesOnly()
    {
        QCOMPARE(phrasesOf(KeyPhrases::scored(QStringLiteral("green  apples\tred cherries"))),
            QStringList({QStringLiteral("green apples red cherries")}));
    }

    void splitsAtStopWords()
    {
        QCOMPARE(phrasesOf(KeyPhrases::scored(QStringLiteral("Green apples and red cherries"))),
            QStringList({QStringLiteral("green apples"), QStringLiteral("red cherries")}));
    }

    void dropsNumbersAlone()
    {
        const QStringList phrases = phrasesOf(KeyPhrases::scored(
            QStringLiteral("Released in 2024. Version 3.14 fixes crashes; 42, 1000 and 99.")));
        QVERIFY2(!phrases.contains(QStringLiteral("2024")), qPrintable(phrases.join(u'|')));
        QVERIFY2(!phrases.contains(QStringLiteral("42")), qPrintable(phrases.join(u'|')));
        QVERIFY2(!phrases.contains(QStringLiteral("1000")), qPrintable(phrases.join(u'|')));
        QVERIFY2(phrases.contains(QStringLiteral("version 3.14 fixes crashes")),
            qPrintable(phrases.join(u'|')));
        QVERIFY2(phrases.contains(QStringLiteral("released")), qPrintable(phrases.join(u'|')));
    }

    void keepsHyphensAndApostrophesInsideWords()
    {
        const QStringList phrases = phrasesOf(KeyPhrases::scored(
            QStringLiteral("State-of-the-art compilers. Don't panic; Bob's garden.")));
        QCOMPARE(phrases,
            QStringList({QStringLiteral("state-of-the-art compilers"),
                QStringLiteral("bob's garden"), QStringLiteral("panic")}));
    }

    void treatsTypographicApostropheAsApostrophe()
    {
        // "don’t" is the stop word "don't".
        QCOMPARE(phrasesOf(KeyPhrases::scored(QStringLiteral("Don\u2019t panic"))),
            QStringList({QStringLiteral("panic")}));
    }

    void keepsProgrammingLanguageNames()
    {
        const QStringList phrases = phrasesOf(
            KeyPhrases::scored(QStringLiteral("Modern C++ templates, C# generics and Qt6 ports.")));
        QCOMPARE(phrases,
            QStringList({QStringLiteral("modern c++ templates"), QStringLiteral("c# generics"),
                QStringLiteral("qt6 ports")}));
    }

    void dropsOneCharacterWords()
    {
        // "x" is a stop word anyway; "7" is one character and ends the phrase.
        QCOMPARE(phrasesOf(KeyPhrases::scored(QStringLiteral("Windows 7 support"))),
            QStringList({QStringLiteral("windows"), QStringLiteral("support")}));
    }

    void handlesNonAsciiWords()
    {
        const QStringList phrases = phrasesOf(KeyPhrases::scored(
            QStringLiteral("Die Straße in München. A naïve café owner's résumé.")));
        QVERIFY2(phrases.contains(QStringLiteral("die straße")), qPrintable(phrases.join(u'|')));
        QVERIFY2(phrases.contains(QStringLiteral("münchen")), qPrintable(phrases.join(u'|')));
        QVERIFY2(phrases.contains(QStringLiteral("naïve café owner's résumé")),
            qPrintable(phrases.join(u'|')));
    }

    void mergesDecomposedAccentsWithComposedOnes()
    {
        // "naïve" typed with a combining diaeresis is the same word as the precomposed one.
        const auto ranked =
            KeyPhrases::scored(QStringLiteral("Nai\u0308ve approach. Na\u00efve approach."));
        QCOMPARE(phrasesOf(ranked), QStringList({QStringLiteral("na\u00efve approach")}));
    }

    void mergesDuplicatesCaseInsensitively()
    {
        const auto ranked = KeyPhrases::scored(
            QStringLiteral("Deep learning. deep LEARNING. Deep Learning works."));
        QCOMPARE(phrasesOf(ranked),
            QStringList({QStringLiteral("deep learning works"), QStringLiteral("deep learning")}));
    }

    void countsTheTitleAsASentence()
    {
        // Without the boundary after the title, "rust" would run into "memory safety".
        const QStringList phrases =
            KeyPhrases::extract(QStringLiteral("Learning Rust"), QStringLiteral("Memory safety"));
        QCOMPARE(phrases,
            QStringList({QStringLiteral("learning rust"), QStringLiteral("memory safety")}));
    }

    void dropsPhrasesLongerThanTheLimit()
    {
        QCOMPARE(KeyPhrases::maxPhraseWords, 4);
        const QStringList phrases = phrasesOf(KeyPhrases::scored(
            QStringLiteral("Green apples taste sweet today. Red cherries taste sour.")));
        QCOMPARE(phrases, QStringList({QStringLiteral("red cherries taste sour")}));
    }

    void breaksTiesByFirstOccurrence()
    {
        QCOMPARE(KeyPhrases::extract(QStringLiteral("Zebra stripes"), QStringLiteral("Apple pie")),
            QStringList({QStringLiteral("zebra stripes"), QStringLiteral("apple pie")}));
    }

    void handlesLongText()
    {
        QString text;
        int n = 0;
        while (text.size() < 100000) {
            text += QStringLiteral("Topic %1 covers distributed systems, sensor%2 networks and "
                                   "graph theory in section %3. ")
                        .arg(n % 97)
                        .arg(n % 13)
                        .arg(n);
            ++n;
        }
        const QStringList phrases = KeyPhrases::extract(QStringLiteral("A long post"), text);
        QVERIFY(!phrases.isEmpty());
        QVERIFY(phrases.size() <= 10);
    }
};

QTEST_GUILESS_MAIN(TestKeyPhrases)
#include "tst_keyphrases.moc"
