package dev.longshot.retrieval.index;

import dev.longshot.retrieval.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Lucene index against the backend contract (index-solr runs the same tests on SolrCloud). */
class LuceneEvidenceIndexContractTest extends EvidenceIndexContract {
  @TempDir static Path tmp;
  private static LuceneEvidenceIndex index;

  @BeforeAll
  static void open() {
    index = LuceneEvidenceIndex.open(tmp.resolve("index"), EMBEDDER, Fixtures.settings());
  }

  @AfterAll
  static void close() {
    index.close();
  }

  @Override
  protected EvidenceIndex index() {
    return index;
  }
}
