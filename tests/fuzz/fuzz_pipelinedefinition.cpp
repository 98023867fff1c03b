// Local pipeline definitions (server/services/pipelinedefinition.cpp): YAML in the shape of a
// CodeBuild buildspec, or JSON, as an admin sends them in a pipeline's "definition".
#include "services/pipelinedefinition.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Outpost::Result<PipelineDefinition> definition = PipelineDefinition::parse(text);
    if (definition) {
        // A valid definition has stages, each with a name and something to run.
        if (definition->stages.isEmpty())
            std::abort();
        for (const StageDefinition &stage : definition->stages) {
            if (stage.name.isEmpty() || stage.commands.isEmpty())
                std::abort();
        }
    }
    return 0;
}
