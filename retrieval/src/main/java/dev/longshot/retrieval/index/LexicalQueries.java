package dev.longshot.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * Builds BM25 queries from user text without Lucene's query parser: the text is run through the index analyzer
 * and every distinct term becomes an optional clause, so {@code "AND ( title:* ~"} is just words and never a
 * parse error. Quoted phrases additionally become boosted phrase queries. Terms are capped at {@value #MAX_TERMS}
 * (a 10,000-character question stays far below Lucene's clause limit).
 */
final class LexicalQueries {
  static final int MAX_TERMS = 64;
  private static final int MAX_PHRASES = 8;
  private static final float PHRASE_BOOST = 2f;
  private static final Pattern QUOTED = Pattern.compile("[\"“”]([^\"“”]{2,200})[\"“”]");

  private final Analyzer analyzer;

  LexicalQueries(Analyzer analyzer) {
    this.analyzer = analyzer;
  }

  /** The BM25 query for {@code text}, or null when it has no indexable term (empty, only stop words). */
  Query build(String text) {
    Set<String> terms = terms(text);
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : terms) {
      b.add(new TermQuery(new Term(IndexSchema.TEXT, t)), BooleanClause.Occur.SHOULD);
    }
    QueryBuilder phrases = new QueryBuilder(analyzer);
    Matcher m = QUOTED.matcher(text);
    int n = 0;
    while (m.find() && n++ < MAX_PHRASES) {
      Query phrase = phrases.createPhraseQuery(IndexSchema.TEXT, m.group(1));
      if (phrase != null) {
        b.add(new BoostQuery(phrase, PHRASE_BOOST), BooleanClause.Occur.SHOULD);
      }
    }
    return b.build();
  }

  /** Distinct analysed terms of {@code text} in order, at most {@value #MAX_TERMS}. */
  Set<String> terms(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    try (TokenStream ts = analyzer.tokenStream(IndexSchema.TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && out.size() < MAX_TERMS) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
