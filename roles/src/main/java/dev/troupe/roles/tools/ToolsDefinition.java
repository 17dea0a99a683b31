package dev.troupe.roles.tools;

import com.google.common.collect.ImmutableList;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.ImportResult;
import dev.troupe.tools.importer.SpecImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A role's {@code tools:} key, resolved to paths: spec files or a catalog folder, which functions,
 * how many to retrieve per call, and whether to serve them offline.
 */
public record ToolsDefinition(ImmutableList<Path> specs, Optional<Path> catalog, ImmutableList<String> names, int retrieve,
                              Optional<SearchMode> mode, boolean virtual, Optional<Path> fixtures, ImmutableList<String> allowHosts,
                              ImmutableList<String> readOnly) {

    /**
     * Opens the functions (importing specs, or opening the catalog) and returns the role's tool provider;
     * a catalog for retrieving from specs is built later, on first use.
     */
    public RoleTools open() {
        Optional<ToolCatalog> cat;
        ToolFunctions functions;
        if (catalog.isPresent()) {
            cat = Optional.of(ToolCatalog.open(catalog.get()));
            functions = cat.get().functions();
        } else {
            ImportResult imported = SpecImporter.importPaths(specs);
            if (imported.specs().isEmpty()) {
                throw new IllegalArgumentException("no usable API spec in " + specs + (imported.skipped().isEmpty() ? ""
                        : " (skipped: " + imported.skipped() + ")"));
            }
            functions = ToolFunctions.of(imported.specs());
            cat = Optional.empty();
        }
        List<String> missing = names.stream().filter(n -> functions.byName(n).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no function named " + missing + "; known functions include "
                    + functions.all().stream().limit(12).map(f -> f.name()).toList());
        }
        SearchMode m = mode.orElse(cat.flatMap(ToolCatalog::embeddingModel).isPresent() ? SearchMode.HYBRID : SearchMode.BM25);
        return new RoleTools(this, functions, cat, catalog.isPresent() ? ImmutableList.of() : specs, retrieve, m,
                java.util.Set.copyOf(names), java.util.Set.copyOf(readOnly), RoleTools.executor(functions, virtual, allowHosts, fixtures));
    }
}
