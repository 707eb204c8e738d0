package dev.longshot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section {@code index} (issue 19): the backend choice and the SolrCloud collection. */
class IndexSettingsTest {
  @TempDir Path tmp;

  @Test
  void theDefaultIsTheEmbeddedLuceneIndex() {
    IndexSettings s = ConfigLoader.load(null, Map.of("HOME", "/h")).index();
    assertThat(s.backend()).isEqualTo(IndexBackend.LUCENE);
    assertThat(s.solr().collection()).isEqualTo("longshot");
    assertThat(s.solr().shards()).isEqualTo(2);
    assertThat(s.solr().replicas()).isEqualTo(2);
    assertThat(s.solr().timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void solrCloudFromAFileAndNestedKeysFromTheEnvironment() throws IOException {
    Path f = tmp.resolve("longshot.yaml");
    Files.writeString(f, "index:\n  backend: solrcloud\n  solr:\n    zk-hosts: zk1:2181,zk2:2181/solr\n    collection: talks\n");
    IndexSettings s = ConfigLoader.load(f, Map.of("HOME", "/h", "LONGSHOT_INDEX_SOLR_SHARDS", "4")).index();
    assertThat(s.backend()).isEqualTo(IndexBackend.SOLRCLOUD);
    assertThat(s.solr().zkHosts()).containsExactly("zk1:2181", "zk2:2181/solr");
    assertThat(s.solr().collection()).isEqualTo("talks");
    assertThat(s.solr().shards()).isEqualTo(4);
    IndexSettings urls = ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_BACKEND", "solrcloud",
        "LONGSHOT_INDEX_SOLR_URLS", "http://a:8983/solr,http://b:8983/solr")).index();
    assertThat(urls.solr().urls()).containsExactly("http://a:8983/solr", "http://b:8983/solr");
  }

  @Test
  void solrCloudNeedsExactlyOneWayToReachTheCluster() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_BACKEND", "solrcloud")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("index.solr.zk-hosts").hasMessageContaining("index.solr.urls");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_BACKEND", "solrcloud",
        "LONGSHOT_INDEX_SOLR_ZK_HOSTS", "zk:2181", "LONGSHOT_INDEX_SOLR_URLS", "http://a:8983/solr")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("exactly one");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_BACKEND", "elastic")))
        .hasMessageContaining("index.backend").hasMessageContaining("lucene").hasMessageContaining("solrcloud");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_SOLR_URLS", "solr1:8983")))
        .hasMessageContaining("index.solr.urls").hasMessageContaining("solr1:8983");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_SOLR_COLLECTION", "a b")))
        .hasMessageContaining("index.solr.collection");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INDEX_SOLR_REPLICAS", "0")))
        .hasMessageContaining("index.solr.replicas");
    assertThat(new SolrSettings(null, List.of(), "c", 1, 1, Duration.ofSeconds(1)).zkHosts()).isEmpty();
  }
}
