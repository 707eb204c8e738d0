package dev.longshot.index.solr;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.SolrSettings;
import dev.longshot.retrieval.index.IndexSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.client.solrj.response.schema.FieldTypeRepresentation;
import org.apache.solr.common.util.ContentStreamBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the collection from code when it is missing: uploads the configset ({@code configset/schema.xml} and
 * {@code solrconfig.xml} beside this class, the vector dimension filled in; named {@code longshot-v1-d384} after
 * the index version and the dimension) and creates the collection with {@code index.solr.shards} and {@code
 * replicas}, waiting until every replica is active. Several machines starting at once are fine: a create that
 * loses the race finds the collection made by the other. An existing collection is checked, never changed: its
 * vector dimension must be the embedder's, else a {@link SolrIndexException} naming both.
 */
final class SolrCollectionSetup {
  static final String VECTOR_TYPE = "knn_vector";
  private static final Logger LOG = LoggerFactory.getLogger(SolrCollectionSetup.class);
  private static final String RESOURCES = "configset/";

  private SolrCollectionSetup() {}

  static String configSetName(int dimension) {
    return "longshot-v" + IndexSchema.VERSION + "-d" + dimension;
  }

  static void ensure(SolrConnection conn, SolrSettings settings, TextEmbedder embedder) {
    String collection = settings.collection();
    if (!exists(conn, collection)) {
      String configSet = configSetName(embedder.dimension());
      ensureConfigSet(conn, configSet, embedder.dimension());
      try {
        conn.call("create collection " + collection, () -> {
          CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(collection, configSet,
              settings.shards(), settings.replicas());
          create.setWaitForFinalState(true);
          return create.process(conn.client());
        });
        LOG.info("Created SolrCloud collection {} ({} shards x {} replicas, configset {}) at {}", collection,
            settings.shards(), settings.replicas(), configSet, conn.address());
      } catch (SolrIndexException e) {
        if (!exists(conn, collection)) {
          throw e;
        }
        // another machine created it meanwhile
      }
    }
    checkDimension(conn, embedder);
  }

  private static boolean exists(SolrConnection conn, String collection) {
    List<String> all = conn.call("list collections", () -> CollectionAdminRequest.listCollections(conn.client()));
    return all.contains(collection);
  }

  private static void ensureConfigSet(SolrConnection conn, String name, int dimension) {
    List<String> sets = conn.call("list configsets", () -> new ConfigSetAdminRequest.List().process(conn.client()).getConfigSets());
    if (sets.contains(name)) {
      return;
    }
    byte[] zip = configSetZip(dimension);
    try {
      conn.call("upload configset " + name, () -> {
        ConfigSetAdminRequest.Upload upload = new ConfigSetAdminRequest.Upload();
        upload.setConfigSetName(name);
        ContentStreamBase.ByteArrayStream stream = new ContentStreamBase.ByteArrayStream(zip, name + ".zip", "application/zip");
        upload.setUploadStream(stream);
        return upload.process(conn.client());
      });
    } catch (SolrIndexException e) {
      List<String> now = conn.call("list configsets", () -> new ConfigSetAdminRequest.List().process(conn.client()).getConfigSets());
      if (!now.contains(name)) {
        throw e;
      }
    }
  }

  /** The configset as the ConfigSet API takes it: a zip of schema.xml and solrconfig.xml. */
  static byte[] configSetZip(int dimension) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : Map.of("schema.xml", schemaXml(dimension), "solrconfig.xml", resource("solrconfig.xml")).entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String schemaXml(int dimension) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("vector dimension must be 1..4096, got " + dimension);
    }
    return resource("schema.xml").replace("@DIMENSION@", Integer.toString(dimension));
  }

  private static String resource(String name) {
    try (InputStream in = SolrCollectionSetup.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + RESOURCES + name + " beside " + SolrCollectionSetup.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkDimension(SolrConnection conn, TextEmbedder embedder) {
    FieldTypeRepresentation type = conn.call("read the schema of collection " + conn.collection(),
        () -> new SchemaRequest.FieldType(VECTOR_TYPE).process(conn.client(), conn.collection()).getFieldType());
    Object dim = type == null ? null : type.getAttributes().get("vectorDimension");
    if (dim == null) {
      throw new SolrIndexException("SolrCloud collection " + conn.collection() + " at " + conn.address()
          + " has no field type " + VECTOR_TYPE + " with a vectorDimension: it was not created by Longshot; name another index.solr.collection", null);
    }
    int collectionDim = Integer.parseInt(dim.toString());
    if (collectionDim != embedder.dimension()) {
      throw new SolrIndexException("SolrCloud collection " + conn.collection() + " at " + conn.address() + " holds "
          + collectionDim + "-dimensional vectors, but embedder " + embedder.name() + " makes " + embedder.dimension()
          + "-dimensional ones; use the embedder it was built with, or another index.solr.collection", null);
    }
  }
}
