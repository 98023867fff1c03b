#pragma once

#include "error.h"

#include <tl/expected.hpp>

namespace Outpost {

// Services and repositories return Result<T>: a value or a domain Error, never an exception.
template<typename T> using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(Error e)
{
    return tl::unexpected<Error>(std::move(e));
}

} // namespace Outpost
