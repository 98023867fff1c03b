#pragma once

#include "models/post.h"

namespace Outpost {

// Who is looking: unpublished posts are visible to their owner and to admins only. The
// services make it from the signed-in principal; the repositories filter by it.
struct Viewer
{
    qint64 userId = 0;
    bool isAdmin = false;
};

// That rule in C++, for a post already read (server/db/viewer.h has it in SQL).
inline bool isVisible(const Post &post, const Viewer &viewer)
{
    return post.published || viewer.isAdmin || post.owner.id == viewer.userId;
}

// Other users' e-mail addresses are for admins only (OWASP API3): a post's owner shows it to
// its owner and admins; everyone else sees the owner's id and username.
inline void hideOwnerEmail(Post &post, const Viewer &viewer)
{
    if (!viewer.isAdmin && post.owner.id != viewer.userId)
        post.owner.email.clear();
}

} // namespace Outpost
