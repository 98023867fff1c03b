#pragma once

#include "models/post.h"

#include <QString>

namespace Outpost::Server {

// Who is looking: unpublished posts are visible to their owner and to admins only.
struct Viewer
{
    qint64 userId = 0;
    bool isAdmin = false;
};

// That rule in C++, for a post already read.
inline bool isVisible(const Post &post, const Viewer &viewer)
{
    return post.published || viewer.isAdmin || post.owner.id == viewer.userId;
}

// And in SQL, for the repositories that read posts as `p`: binds :viewer. Admins skip it.
inline const QString kVisibleToViewer = QStringLiteral("(p.published = 1 OR p.owner_id = :viewer)");

} // namespace Outpost::Server
