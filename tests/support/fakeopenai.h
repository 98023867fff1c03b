#pragma once

#include <QByteArray>
#include <QHttpServer>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Outpost::Test {

// A small local stand-in for the three OpenAI endpoints the server uses (chat completions,
// image generations, audio speech), on 127.0.0.1 and a free port, in the test's own thread.
// It checks the bearer key, records what it was asked and answers like the real API.
class FakeOpenAi
{
public:
    static constexpr const char *kApiKey = "sk-test-outpost";
    // What the generated content looks like, so tests can recognise it.
    static QByteArray textFor(const QString &prompt);
    static QByteArray pngFor(const QString &prompt);
    static QByteArray mp3For(const QString &prompt);

    bool start();
    QString baseUrl() const; // "http://127.0.0.1:PORT/v1"

    struct Call
    {
        QString path;
        QByteArray authorization;
        QJsonObject body;
        QByteArray traceparent; // W3C trace context the server propagated, if any
    };
    const QList<Call> &calls() const { return m_calls; }
    // Answer every request with 500 (to test upstream failures).
    void setFailing(bool failing) { m_failing = failing; }

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QList<Call> m_calls;
    bool m_failing = false;
};

} // namespace Outpost::Test
