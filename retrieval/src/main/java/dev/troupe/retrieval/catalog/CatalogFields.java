package dev.troupe.retrieval.catalog;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/**
 * The catalog's own fields in its Lucene index, beside the retrieval fields of {@code ToolIndex}. One index
 * holds three kinds of document: a function (its endpoint, tool key and spec), a spec header (a tool without
 * its endpoints), and a file (what importing it gave, so a repeated or resumed import skips it).
 */
final class CatalogFields {
    static final String KIND = "kind";
    static final String FUNCTION = "function";
    static final String SPEC = "spec";
    static final String FILE = "file";

    /** On functions and specs: the spec's key (its file and name). */
    static final String SPEC_KEY = "specKey";
    /** On functions and specs: the file they came from, so importing the file again replaces them. */
    static final String SOURCE = "source";
    /** On functions and specs: import order, as a sort key (Lucene's merges do not keep document order). */
    static final String SEQ = "seq";
    static final String TOOL_KEY = "toolKey";
    static final String ENDPOINT = "endpoint";
    static final String HEADER = "header";

    /** On files: the path as given to the import. */
    static final String PATH = "path";
    /** On files: a hash of the content, the embedding model and the catalog format. */
    static final String FINGERPRINT = "fingerprint";
    static final String FUNCTIONS = "functions";
    static final String SKIPPED = "skipped";

    private CatalogFields() {
    }

    /** Calls {@code action} with each live document that has {@code term}, leaf by leaf. */
    static void forEach(IndexReader reader, Term term, DocAction action) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            PostingsEnum docs = leaf.reader().postings(term);
            if (docs == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
                if (live == null || live.get(d)) {
                    action.accept(leaf, d);
                }
            }
        }
    }

    /** A document of a leaf, by its id within the leaf. */
    @FunctionalInterface
    interface DocAction {
        void accept(LeafReaderContext leaf, int doc) throws IOException;
    }
}
