/**
 * The evidence index on a SolrCloud collection ({@code index.backend: solrcloud}), through SolrJ only: no Solr
 * server code and no second Lucene on this classpath. {@link dev.longshot.index.solr.SolrEvidenceIndex} implements
 * retrieval's {@code EvidenceIndex} with the same documents and the same hybrid search as the embedded index;
 * {@link dev.longshot.index.solr.SolrCollectionSetup} creates the configset and collection from code; {@link
 * dev.longshot.index.solr.SolrConnection} bounds every request with timeouts and retries with back-off.
 */
package dev.longshot.index.solr;
