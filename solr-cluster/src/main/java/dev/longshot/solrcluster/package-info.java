/**
 * A local SolrCloud for tests and trying the solrcloud backend: {@link dev.longshot.solrcluster.LocalSolrCloud}
 * starts Solr's MiniSolrCloudCluster in this JVM and speaks a line protocol on stdin/stdout. Solr 9 and Lucene 9
 * live only in this module's process, never beside Longshot's Lucene 10 index.
 */
package dev.longshot.solrcluster;
