#pragma once

#include "core/result.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "models/page.h"
#include "services/userservice.h"

#include <QJsonObject>

#include <concepts>
#include <type_traits>
#include <utility>

namespace Outpost::Server::Api {

// What a handler answers: a response, or an error that becomes the request's problem.
using Reply = Result<HttpResponse>;

// The request body as a JSON object: BadRequest (400) for malformed JSON or another type.
Result<QJsonObject> jsonBody(const Request &request);
// The request body read by T::fromJson (its own Validation errors, 422), after jsonBody.
template<typename T, typename... Extra>
Result<T> bodyAs(const Request &request, const Extra &...extra)
{
    const auto body = jsonBody(request);
    if (!body)
        return fail(body.error());
    return T::fromJson(*body, extra...);
}
// A positive integer path parameter; Validation (422) otherwise.
Result<qint64> idParam(const Request &request, const QString &name = QStringLiteral("id"));
// limit/skip from the query string (absent: defaults); Validation (422) when out of range.
Result<PageRequest> pageOf(const Request &request);
// Who is asking: principal, address, and whether the request came straight from this
// machine (loopback peer and no proxy forwarding headers).
Caller callerOf(const Request &request);
// Whether If-None-Match ("*" or a list of entity tags, compared weakly; RFC 9110 13.1.2)
// matches `etag`. False when the header is absent.
bool noneMatch(const Request &request, const QByteArray &etag);

inline HttpResponse problem(const Error &error, const QString &instance)
{
    return Problem::fromError(error, instance);
}

inline HttpResponse problem(const Error &error, const Request &request)
{
    return problem(error, request.path());
}

inline HttpResponse ok(const QJsonObject &body)
{
    return HttpResponse::json(200, body);
}

inline HttpResponse created(const QJsonObject &body, const QString &location)
{
    return HttpResponse::json(201, body).withHeader(
        QByteArrayLiteral("Location"), location.toUtf8());
}

// 200 with the value's JSON, or the error.
template<typename T> Reply ok(const Result<T> &result)
{
    if (!result)
        return fail(result.error());
    if constexpr (std::is_same_v<T, QJsonObject>) {
        return ok(*result);
    } else {
        return ok(result->toJson());
    }
}

// 204, or the error.
inline Reply noContent(const Status &status)
{
    if (!status)
        return fail(status.error());
    return HttpResponse::noContent();
}

// A reply as the response to send: an error becomes a problem about `instance`.
inline HttpResponse answer(Reply reply, const QString &instance)
{
    return reply ? std::move(*reply) : problem(reply.error(), instance);
}

inline HttpResponse answer(HttpResponse response, const QString & /*instance*/)
{
    return response;
}

// What a handler built by handle() may take besides the Request, each read from the request
// before the handler runs; the first that fails answers with its problem instead.
//   Id            the path parameter {id}, a positive integer (422 otherwise)
//   PageRequest   limit and skip from the query string (422 when out of range)
//   a model T     the JSON body read by T::fromJson (400 malformed, 422 invalid fields)
struct Id
{
    qint64 value = 0;
};

template<typename T>
concept JsonBodyModel = std::same_as<decltype(T::fromJson(QJsonObject {})), Result<T>>;

template<typename T> struct From;

template<> struct From<Id>
{
    static Result<Id> take(const Request &request)
    {
        auto id = idParam(request);
        if (!id)
            return fail(id.error());
        return Id {*id};
    }
};

template<> struct From<PageRequest>
{
    static Result<PageRequest> take(const Request &request) { return pageOf(request); }
};

template<JsonBodyModel T> struct From<T>
{
    static Result<T> take(const Request &request) { return bodyAs<T>(request); }
};

namespace Detail {

template<typename... Params> struct ParamList
{ };

template<typename F> struct ParamsOf : ParamsOf<decltype(&F::operator())>
{ };
template<typename C, typename R, typename... Params> struct ParamsOf<R (C::*)(Params...) const>
{
    using Type = ParamList<Params...>;
};
template<typename C, typename R, typename... Params> struct ParamsOf<R (C::*)(Params...)>
{
    using Type = ParamList<Params...>;
};

template<typename F, typename... Taken>
HttpResponse call(F &handler, Request &request, ParamList<> /*all taken*/, Taken &&...taken)
{
    return answer(handler(std::forward<Taken>(taken)...), request.path());
}

template<typename F, typename Param, typename... Rest, typename... Taken>
HttpResponse call(
    F &handler, Request &request, ParamList<Param, Rest...> /*to take*/, Taken &&...taken)
{
    using T = std::remove_cvref_t<Param>;
    if constexpr (std::is_same_v<T, Request>) {
        return call(
            handler, request, ParamList<Rest...> {}, std::forward<Taken>(taken)..., request);
    } else {
        auto value = From<T>::take(request);
        if (!value)
            return problem(value.error(), request);
        return call(handler, request, ParamList<Rest...> {}, std::forward<Taken>(taken)...,
            std::move(*value));
    }
}

} // namespace Detail

// A route handler from a lambda that names what it needs (see From above) and returns an
// HttpResponse or a Reply. Built once per route; a request costs no more than the hand-written
// checks it replaces.
template<typename F> Handler handle(F handler)
{
    return [handler = std::move(handler)](Request &request) mutable {
        return Detail::call(handler, request, typename Detail::ParamsOf<F>::Type {});
    };
}

// Runs `work` (returning an HttpResponse or a Reply) on `pool` and answers the request with
// it; `work` must not capture the request.
template<typename F> HttpResponse offThread(QThreadPool &pool, Request &request, F work)
{
    return runOffThread(pool, request,
        [instance = request.path(), work = std::move(work)] { return answer(work(), instance); });
}

// Answers a LaterReply with what `make` (returning an HttpResponse or a Reply) returns, run
// on the request's own HTTP thread.
template<typename F> void answerLater(const LaterReply &reply, F make)
{
    reply.answer(
        [instance = reply.instance(), make = std::move(make)] { return answer(make(), instance); });
}

} // namespace Outpost::Server::Api
