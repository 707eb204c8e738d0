package dev.longshot.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
public final class LexicalQueries {
  public static final int MAX_TERMS = 64;
  /** Boost of a quoted phrase's clause over single terms. */
  public static final float PHRASE_BOOST = 2f;
  private static final int MAX_PHRASES = 8;
  private static final Pattern QUOTED = Pattern.compile("[\"“”]([^\"“”]{2,200})[\"“”]");

  private final Analyzer analyzer;

  /** @param analyzer the index's analyzer ({@link org.apache.lucene.analysis.en.EnglishAnalyzer}); not closed here */
  public LexicalQueries(Analyzer analyzer) {
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
    for (String quoted : phrases(text)) {
      Query phrase = phrases.createPhraseQuery(IndexSchema.TEXT, quoted);
      if (phrase != null) {
        b.add(new BoostQuery(phrase, PHRASE_BOOST), BooleanClause.Occur.SHOULD);
      }
    }
    return b.build();
  }

  /** The quoted phrases of {@code text} (straight or curly quotes), at most {@value #MAX_PHRASES}, unanalysed. */
  public static List<String> phrases(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = QUOTED.matcher(text == null ? "" : text);
    while (m.find() && out.size() < MAX_PHRASES) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Distinct analysed terms of {@code text} in order, at most {@value #MAX_TERMS}. */
  public Set<String> terms(String text) {
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
