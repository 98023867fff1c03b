#pragma once

class QByteArray;
class QProcess;
class QRegularExpression;
class QString;

namespace Outpost::Test {

// Makes `process` (set up, not started yet) die with this test process: the kernel sends it
// SIGKILL however the test ends, by a crash, abort(), qFatal() or a timeout kill included, so
// no server outlives an aborted suite. Call before start().
//
// Linux sends that signal when the *thread* that started the child ends, not only the
// process: a child that must outlive the call that starts it has to be started on the main
// thread (TestServer and S3Server refuse to start elsewhere). One that is waited for in the
// same call, as by TestServer::runCli(), may be started on any thread.
void killWithTestProcess(QProcess &process);

// Reads `process`'s output until `pattern` matches it (returns the first capture group), the
// process ends or `timeoutMs` pass (returns an empty string). Everything read is appended to
// `output`, for an error message.
QString waitForOutputMatch(
    QProcess &process, const QRegularExpression &pattern, int timeoutMs, QByteArray &output);

// Asks `process` to end (SIGTERM), then kills it if it has not ended within 5 s.
void stopProcess(QProcess &process);

// The thread QCoreApplication was made on (false without one).
bool isMainThread();

} // namespace Outpost::Test
