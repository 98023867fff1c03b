// Load client for bench/c10k.sh and bench/fanout.sh: many sockets to one outpost-server on
// 127.0.0.1, driven by one epoll loop, so that the client's own cost per socket stays far below
// the server's. Plain C++20 and Linux system calls only; bench/*.sh compile it with `c++`.
//
//   connclient hold   --port P --connections N --seconds S [--pid SERVER_PID]
//       Opens N keep-alive connections, each answering one GET /healthz, and prints
//       "ready open=N failed=F rss_mib=R fds=D" on stdout. Then holds them idle until a line
//       (or EOF) on stdin or S seconds, sends one more GET /healthz on every connection and
//       prints "done alive=A closed_early=C".
//
//   connclient fanout --port P --subscribers N --posts R --token T [--pid SERVER_PID]
//       Opens N /v1/events WebSockets signed in with T and waits for each one's
//       {"type":"subscribed"}. Then creates R posts one after the other (POST /v1/posts with T)
//       and, for each, takes the time from reading its 201 to each subscriber reading the
//       post.created event with its id. Prints one line per post and a summary with the
//       percentiles of all N*R latencies, and the server's RSS before and after subscribing.
//
// Everything is bounded: connecting and each post wait at most --timeout seconds (default 60),
// and the whole run --seconds plus that. Only 127.0.0.1.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string &message)
{
    std::fprintf(stderr, "connclient: %s\n", message.c_str());
    std::exit(1);
}

double msSince(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

// VmRSS of a process in MiB, or -1.
double rssMib(int pid)
{
    if (pid <= 0)
        return -1;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    }
    return -1;
}

int openDescriptors(int pid)
{
    if (pid <= 0)
        return -1;
    int count = 0;
    const std::string dir = "/proc/" + std::to_string(pid) + "/fd/";
    // Count with readlink on each number: opendir would need another header, and the
    // descriptor numbers are dense enough.
    for (int fd = 0; fd < 65536; ++fd) {
        char target[8];
        if (readlink((dir + std::to_string(fd)).c_str(), target, sizeof target) >= 0)
            ++count;
    }
    return count;
}

void raiseDescriptorLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

struct Options
{
    std::string mode;
    int port = 0;
    int count = 0;
    int posts = 20;
    int seconds = 60;
    int timeout = 60;
    int pid = 0;
    std::string token;
};

Options parse(int argc, char **argv)
{
    if (argc < 2)
        die("usage: connclient hold|fanout --port P ... (see the comment at the top)");
    Options o;
    o.mode = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string_view key = argv[i];
        const char *value = argv[i + 1];
        if (key == "--port")
            o.port = std::atoi(value);
        else if (key == "--connections" || key == "--subscribers")
            o.count = std::atoi(value);
        else if (key == "--posts")
            o.posts = std::atoi(value);
        else if (key == "--seconds")
            o.seconds = std::atoi(value);
        else if (key == "--timeout")
            o.timeout = std::atoi(value);
        else if (key == "--pid")
            o.pid = std::atoi(value);
        else if (key == "--token")
            o.token = value;
        else
            die("unknown option " + std::string(key));
    }
    if (o.port <= 0 || o.port > 65535 || o.count <= 0 || o.count > 100000 || o.posts <= 0
        || o.posts > 10000 || o.seconds <= 0 || o.seconds > 3600 || o.timeout <= 0
        || o.timeout > 600)
        die("--port, --connections/--subscribers (1-100000), --posts (1-10000), --seconds "
            "(1-3600) and --timeout (1-600) must be given and in range");
    if (o.mode == "fanout" && o.token.empty())
        die("fanout needs --token");
    return o;
}

// One socket and what it has read but not yet consumed.
struct Conn
{
    int fd = -1;
    std::string in;
    std::string out; // not yet written
    bool connected = false;
    bool closed = false;
    int state = 0;        // mode-specific
    Clock::time_point at; // mode-specific
};

class Loop
{
public:
    Loop()
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1: " + std::string(std::strerror(errno)));
    }

    // Starts a non-blocking connect to 127.0.0.1:port; -1 when no socket could be made.
    int connectTo(int port, std::vector<Conn> &conns, size_t index)
    {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(uint16_t(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            && errno != EINPROGRESS) {
            close(fd);
            return -1;
        }
        epoll_event event {};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        event.data.u64 = index;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        conns[index].fd = fd;
        return fd;
    }

    // Writes what is pending; true while the socket is usable.
    static bool flush(Conn &c)
    {
        while (!c.out.empty()) {
            const ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
            if (n < 0)
                return errno == EAGAIN;
            c.out.erase(0, size_t(n));
        }
        return true;
    }

    // Reads what the kernel holds; false at EOF or an error.
    static bool fill(Conn &c)
    {
        char buffer[16384];
        for (;;) {
            const ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                c.in.append(buffer, size_t(n));
                continue;
            }
            if (n == 0)
                return false;
            return errno == EAGAIN;
        }
    }

    // Waits up to `ms` for events; calls on(index, events) for each.
    template<typename F> void poll(int ms, F on)
    {
        epoll_event events[512];
        const int n = epoll_wait(m_epoll, events, 512, ms);
        for (int i = 0; i < n; ++i)
            on(size_t(events[i].data.u64), events[i].events);
    }

    void watchReadOnly(const Conn &c, size_t index)
    {
        epoll_event event {};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.u64 = index;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
    }

private:
    int m_epoll = -1;
};

// A complete HTTP response at the start of `in`: its status, body and length; 0 if incomplete.
struct Response
{
    int status = 0;
    std::string body;
};

size_t takeResponse(std::string &in, Response &response)
{
    const size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos)
        return 0;
    size_t length = 0;
    std::string head = in.substr(0, end);
    std::transform(head.begin(), head.end(), head.begin(),
        [](unsigned char ch) { return char(std::tolower(ch)); });
    if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos)
        length = size_t(std::strtoul(head.c_str() + at + 17, nullptr, 10));
    if (in.size() < end + 4 + length)
        return 0;
    response.status = in.size() > 12 ? std::atoi(in.c_str() + 9) : 0;
    response.body = in.substr(end + 4, length);
    const size_t total = end + 4 + length;
    in.erase(0, total);
    return total;
}

std::string healthz(int port)
{
    return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
}

// ---- hold: C10k ------------------------------------------------------------------------

int hold(const Options &o)
{
    std::vector<Conn> conns(size_t(o.count));
    Loop loop;
    const std::string request = healthz(o.port);
    const auto deadline = Clock::now() + std::chrono::seconds(o.timeout);
    // state: 0 connecting/requesting, 1 answered (idle), 2 failed
    size_t next = 0, answered = 0, failed = 0, inFlight = 0, refused = 0, reset = 0;
    constexpr size_t kParallel = 256; // connects at once: the accept queue is 1024 long
    while (answered + failed < conns.size() && Clock::now() < deadline) {
        while (next < conns.size() && inFlight < kParallel) {
            if (loop.connectTo(o.port, conns, next) < 0) {
                conns[next].state = 2;
                ++failed;
            } else {
                conns[next].out = request;
                ++inFlight;
            }
            ++next;
        }
        loop.poll(100, [&](size_t i, uint32_t events) {
            Conn &c = conns[i];
            if (c.state != 0)
                return;
            bool ok = !(events & EPOLLERR);
            if (ok && (events & EPOLLOUT))
                ok = Loop::flush(c);
            if (ok && (events & (EPOLLIN | EPOLLRDHUP)))
                ok = Loop::fill(c);
            Response response;
            if (ok && takeResponse(c.in, response)) {
                if (response.status == 200) {
                    c.state = 1;
                    ++answered;
                    loop.watchReadOnly(c, i);
                } else {
                    ok = false;
                }
                --inFlight;
                return;
            }
            if (!ok) {
                int error = 0;
                socklen_t size = sizeof error;
                getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &size);
                ++(error != 0 ? refused : reset);
                c.state = 2;
                ++failed;
                --inFlight;
                close(c.fd);
            }
        });
    }
    std::printf("ready open=%zu failed=%zu (connect errors %zu, closed before answering %zu) "
                "rss_mib=%.1f fds=%d\n",
        answered, conns.size() - answered, refused, reset, rssMib(o.pid), openDescriptors(o.pid));
    std::fflush(stdout);

    // Idle until told (a line or EOF on stdin) or the time is up; a readable idle socket is one
    // the server closed.
    size_t closedEarly = 0;
    const int stdinFd = 0;
    fcntl(stdinFd, F_SETFL, fcntl(stdinFd, F_GETFL) | O_NONBLOCK);
    const auto holdUntil = Clock::now() + std::chrono::seconds(o.seconds);
    for (;;) {
        char ch;
        const ssize_t got = read(stdinFd, &ch, 1);
        if (got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        if (Clock::now() >= holdUntil)
            break;
        loop.poll(200, [&](size_t i, uint32_t) {
            Conn &c = conns[i];
            if (c.state == 1 && !Loop::fill(c)) {
                c.state = 2;
                ++closedEarly;
                close(c.fd);
            }
        });
    }

    // One more request on every connection still open.
    size_t alive = 0, pending = 0;
    for (size_t i = 0; i < conns.size(); ++i) {
        Conn &c = conns[i];
        if (c.state != 1)
            continue;
        c.out = request;
        if (Loop::flush(c))
            ++pending;
        else
            c.state = 2;
    }
    const auto checkUntil = Clock::now() + std::chrono::seconds(o.timeout);
    while (pending > 0 && Clock::now() < checkUntil) {
        loop.poll(100, [&](size_t i, uint32_t) {
            Conn &c = conns[i];
            if (c.state != 1)
                return;
            const bool ok = Loop::fill(c);
            Response response;
            if (takeResponse(c.in, response)) {
                c.state = 3;
                --pending;
                if (response.status == 200)
                    ++alive;
            } else if (!ok) {
                c.state = 2;
                --pending;
            }
        });
    }
    std::printf(
        "done alive=%zu closed_early=%zu rss_mib=%.1f\n", alive, closedEarly, rssMib(o.pid));
    for (Conn &c : conns) {
        if (c.fd >= 0)
            close(c.fd);
    }
    return alive == conns.size() ? 0 : 2;
}

// ---- fanout: /v1/events ----------------------------------------------------------------

// One WebSocket frame from the server (never masked) at the start of `in`: its opcode and
// payload; false if incomplete.
bool takeFrame(std::string &in, int &opcode, std::string &payload)
{
    if (in.size() < 2)
        return false;
    const auto *b = reinterpret_cast<const unsigned char *>(in.data());
    opcode = b[0] & 0x0f;
    uint64_t length = b[1] & 0x7f;
    size_t header = 2;
    if (length == 126) {
        if (in.size() < 4)
            return false;
        length = (uint64_t(b[2]) << 8) | b[3];
        header = 4;
    } else if (length == 127) {
        if (in.size() < 10)
            return false;
        length = 0;
        for (int k = 0; k < 8; ++k)
            length = (length << 8) | b[2 + k];
        header = 10;
    }
    if (in.size() < header + length)
        return false;
    payload = in.substr(header, size_t(length));
    in.erase(0, header + size_t(length));
    return true;
}

long long jsonInteger(const std::string &json, const std::string &key)
{
    const size_t at = json.find("\"" + key + "\":");
    return at == std::string::npos ? -1 : std::atoll(json.c_str() + at + key.size() + 3);
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());
    const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

int fanout(const Options &o)
{
    const double rssBefore = rssMib(o.pid);
    std::vector<Conn> conns(size_t(o.count) + 1); // the last one posts
    const size_t poster = conns.size() - 1;
    Loop loop;
    const std::string upgrade = "GET /v1/events?access_token=" + o.token
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o.port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    // state: 0 handshaking, 1 upgraded, 2 subscribed, 9 failed
    size_t next = 0, subscribed = 0, failed = 0, inFlight = 0;
    const auto connectUntil = Clock::now() + std::chrono::seconds(o.timeout);
    auto onSubscriber = [&](size_t i, uint32_t events, auto &&onEvent) {
        Conn &c = conns[i];
        if (c.state == 9)
            return;
        bool ok = !(events & EPOLLERR);
        if (ok && (events & EPOLLOUT))
            ok = Loop::flush(c);
        if (ok && (events & (EPOLLIN | EPOLLRDHUP)))
            ok = Loop::fill(c);
        if (ok && c.state == 0) {
            const size_t end = c.in.find("\r\n\r\n");
            if (end != std::string::npos) {
                if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
                    ok = false;
                } else {
                    c.in.erase(0, end + 4);
                    c.state = 1;
                    loop.watchReadOnly(c, i);
                }
            }
        }
        int opcode = 0;
        std::string payload;
        while (ok && c.state >= 1 && takeFrame(c.in, opcode, payload)) {
            if (opcode == 8) {
                ok = false;
            } else if (opcode == 1 && c.state == 1) {
                if (payload.find("\"subscribed\"") == std::string::npos) {
                    ok = false;
                } else {
                    c.state = 2;
                    ++subscribed;
                    --inFlight;
                }
            } else if (opcode == 1) {
                onEvent(c, payload);
            }
        }
        if (!ok) {
            if (c.state < 2)
                --inFlight;
            else
                --subscribed;
            c.state = 9;
            ++failed;
            close(c.fd);
        }
    };
    auto ignoreEvents = [](Conn &, const std::string &) {};
    while (subscribed + failed < size_t(o.count) && Clock::now() < connectUntil) {
        while (next < size_t(o.count) && inFlight < 128) {
            if (loop.connectTo(o.port, conns, next) < 0) {
                conns[next].state = 9;
                ++failed;
            } else {
                conns[next].out = upgrade;
                ++inFlight;
            }
            ++next;
        }
        loop.poll(100, [&](size_t i, uint32_t ev) { onSubscriber(i, ev, ignoreEvents); });
    }
    if (subscribed < size_t(o.count))
        die("only " + std::to_string(subscribed) + " of " + std::to_string(o.count)
            + " subscribers signed in (" + std::to_string(failed) + " failed)");
    // Let the hub settle (nothing is in flight now) before reading its memory.
    const double rssAfter = rssMib(o.pid);
    std::printf("subscribed=%d rss_before_mib=%.1f rss_after_mib=%.1f per_subscriber_kib=%.1f\n",
        o.count, rssBefore, rssAfter, (rssAfter - rssBefore) * 1024.0 / o.count);
    std::fflush(stdout);

    if (loop.connectTo(o.port, conns, poster) < 0)
        die("cannot connect the posting socket");
    const std::string body =
        R"({"title":"fan-out post","content":"created by bench/fanout.sh","published":true})";
    const std::string post = "POST /v1/posts HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o.port)
        + "\r\nAuthorization: Bearer " + o.token
        + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size())
        + "\r\n\r\n" + body;

    std::vector<double> all;
    all.reserve(size_t(o.count) * size_t(o.posts));
    size_t early = 0; // events read before the 201 (counted as 0 ms)
    for (int round = 0; round < o.posts; ++round) {
        Conn &p = conns[poster];
        p.out = post;
        Loop::flush(p);
        long long postId = -1;
        Clock::time_point created {};
        bool answered = false;
        size_t received = 0;
        std::vector<Clock::time_point> arrivals(size_t(o.count));
        std::vector<long long> ids(size_t(o.count), 0); // 0: not yet received
        auto onEvent = [&](Conn &c, const std::string &payload) {
            if (payload.find("\"post.created\"") == std::string::npos)
                return;
            const size_t i = size_t(&c - conns.data());
            if (ids[i] != 0)
                return;
            // The id is checked once the 201 says which it is.
            arrivals[i] = Clock::now();
            ids[i] = jsonInteger(payload, "id");
            ++received;
        };
        const auto until = Clock::now() + std::chrono::seconds(o.timeout);
        while ((!answered || received < size_t(o.count)) && Clock::now() < until) {
            loop.poll(100, [&](size_t i, uint32_t ev) {
                if (i != poster) {
                    onSubscriber(i, ev, onEvent);
                    return;
                }
                if (ev & EPOLLOUT)
                    Loop::flush(p);
                if (!Loop::fill(p))
                    die("the server closed the posting connection");
                Response response;
                if (!answered && takeResponse(p.in, response)) {
                    created = Clock::now();
                    answered = true;
                    if (response.status != 201)
                        die("POST /v1/posts answered " + std::to_string(response.status) + ": "
                            + response.body);
                    postId = jsonInteger(response.body, "id");
                }
            });
        }
        if (!answered || received < size_t(o.count))
            die("post " + std::to_string(round + 1) + ": " + (answered ? "" : "no 201; ")
                + std::to_string(received) + " of " + std::to_string(o.count)
                + " subscribers got post.created within " + std::to_string(o.timeout) + " s");
        std::vector<double> latencies;
        latencies.reserve(size_t(o.count));
        for (size_t i = 0; i < size_t(o.count); ++i) {
            if (ids[i] != postId)
                die("a subscriber got post.created for id " + std::to_string(ids[i]) + ", expected "
                    + std::to_string(postId));
            double ms = msSince(created, arrivals[i]);
            if (ms < 0) {
                ++early;
                ms = 0;
            }
            latencies.push_back(ms);
            all.push_back(ms);
        }
        std::printf("post id=%lld p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", postId,
            percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100));
        std::fflush(stdout);
    }
    std::printf("summary subscribers=%d posts=%d deliveries=%zu before_201=%zu p50_ms=%.2f "
                "p90_ms=%.2f p99_ms=%.2f max_ms=%.2f rss_end_mib=%.1f\n",
        o.count, o.posts, all.size(), early, percentile(all, 50), percentile(all, 90),
        percentile(all, 99), percentile(all, 100), rssMib(o.pid));
    for (Conn &c : conns) {
        if (c.fd >= 0 && c.state != 9)
            close(c.fd);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    raiseDescriptorLimit();
    const Options options = parse(argc, argv);
    if (options.mode == "hold")
        return hold(options);
    if (options.mode == "fanout")
        return fanout(options);
    die("unknown mode " + options.mode + " (hold or fanout)");
}
