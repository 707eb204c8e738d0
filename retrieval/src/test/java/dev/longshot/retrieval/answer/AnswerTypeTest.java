package dev.longshot.retrieval.answer;

import static dev.longshot.retrieval.answer.AnswerType.NUMBER;
import static dev.longshot.retrieval.answer.AnswerType.PERSON;
import static dev.longshot.retrieval.answer.AnswerType.PLACE;
import static dev.longshot.retrieval.answer.AnswerType.TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Answer typing: the type a question asks for, and answers of that type in slides, speech and subtitles. */
class AnswerTypeTest {
  @Test
  void theQuestionsWhWordOrShapeNamesTheType() {
    assertThat(AnswerType.askedBy("Who is giving this talk?")).hasValue(PERSON);
    assertThat(AnswerType.askedBy("whom did the committee thank")).hasValue(PERSON);
    assertThat(AnswerType.askedBy("Whose laptop is on the desk?")).hasValue(PERSON);
    assertThat(AnswerType.askedBy("Which speaker opened the session?")).hasValue(PERSON);
    assertThat(AnswerType.askedBy("When does the festival start?")).hasValue(TIME);
    assertThat(AnswerType.askedBy("In what year was the bridge built?")).hasValue(TIME);
    assertThat(AnswerType.askedBy("What time does the shop open?")).hasValue(TIME);
    assertThat(AnswerType.askedBy("How long ago did the flood happen?")).as("'how long ago' is a time, 'how long' a number")
        .hasValue(TIME);
    assertThat(AnswerType.askedBy("Where was the concert held?")).hasValue(PLACE);
    assertThat(AnswerType.askedBy("Which city hosts the final?")).hasValue(PLACE);
    assertThat(AnswerType.askedBy("On which river is the dam?")).hasValue(PLACE);
    assertThat(AnswerType.askedBy("In which country did she study?")).hasValue(PLACE);
    assertThat(AnswerType.askedBy("How many goals were scored?")).hasValue(NUMBER);
    assertThat(AnswerType.askedBy("By how much did sales grow?")).hasValue(NUMBER);
    assertThat(AnswerType.askedBy("How long does the battery last?")).hasValue(NUMBER);
    assertThat(AnswerType.askedBy("How often is the data backed up?")).hasValue(NUMBER);
    assertThat(AnswerType.askedBy("What percentage of users returned?")).hasValue(NUMBER);
    assertThat(AnswerType.askedBy("How many people who signed up came?")).as("the first cue wins").hasValue(NUMBER);
  }

  @Test
  void aQuestionWithoutACueAsksForNoType() {
    assertThat(AnswerType.askedBy("What does the project measure?")).isEmpty();
    assertThat(AnswerType.askedBy("Why did the team change the design?")).isEmpty();
    assertThat(AnswerType.askedBy("Which university builds the sensors?")).isEmpty();
    assertThat(AnswerType.askedBy("Describe the opening scene")).isEmpty();
  }

  @Test
  void peopleAreSeenByHonorificsRoleLabelsAndSelfIntroductions() {
    assertThat(PERSON.answersIn("Keynote\nDr. Ada Byrne\nGhent, 2023")).contains("Dr. Ada Byrne");
    assertThat(PERSON.answersIn("Presenter: Tomas Varga")).containsExactly("Presenter: Tomas Varga");
    assertThat(PERSON.answersIn("Mayor Helen Okafor")).containsExactly("Mayor Helen Okafor");
    assertThat(PERSON.answersIn("HOST: Prof Lin Chen")).contains("HOST: Prof Lin Chen");
    assertThat(PERSON.answersIn("Presented by Nora Quist")).containsExactly("Presented by Nora Quist");
    // speech as a recogniser writes it (lower case, no punctuation) and as subtitles write it
    assertThat(PERSON.foundIn("hello everyone my name is tomas varga and i work on bridges")).isTrue();
    assertThat(PERSON.foundIn("Hi, I'm Nora and this is our kitchen.")).isTrue();
    assertThat(PERSON.foundIn("I am Nora Quist, your host tonight.")).isTrue();
  }

  @Test
  void textThatNamesNobodyHoldsNoPerson() {
    assertThat(PERSON.foundIn("every milestone is reviewed by an external panel")).isFalse();
    assertThat(PERSON.foundIn("i am going to talk about the budget")).as("'i am' without a name").isFalse();
    assertThat(PERSON.foundIn("my name is not important today")).isFalse();
    assertThat(PERSON.foundIn("Budget Overview\nTotal budget: 4.2 million euros")).isFalse();
    assertThat(PERSON.foundIn("the speaker will take questions at the end")).isFalse();
  }

  @Test
  void numbersAreDigitsOrNumberWordsButNotTheYearOfADate() {
    assertThat(NUMBER.foundIn("Software: 900,000 euros")).isTrue();
    assertThat(NUMBER.foundIn("the software costs nine hundred thousand euros")).isTrue();
    assertThat(NUMBER.foundIn("we replaced a dozen sensors")).isTrue();
    assertThat(NUMBER.foundIn("one point five million euros")).isTrue();
    assertThat(NUMBER.foundIn("the buoys are replaced within a week")).isFalse();
    assertThat(NUMBER.foundIn("this is the one we chose")).as("'one' as a pronoun").isFalse();
    assertThat(NUMBER.foundIn("Delft, March 2024")).as("a year is a time").isFalse();
    assertThat(NUMBER.foundIn("phase one ends in june twenty twenty five")).as("a spoken year is a time").isFalse();
  }

  @Test
  void timesAreMonthsYearsWeekdaysSeasonsAndClockTimes() {
    assertThat(TIME.answersIn("Final report due May 2026")).contains("May 2026", "2026");
    assertThat(TIME.foundIn("the report is due in may twenty twenty six")).isTrue();
    assertThat(TIME.foundIn("doors open at 7:30 pm")).isTrue();
    assertThat(TIME.foundIn("we meet every tuesday")).isTrue();
    assertThat(TIME.foundIn("oxygen stayed stable during the summer")).isTrue();
    assertThat(TIME.foundIn("you may see some noise here")).as("'may' the verb").isFalse();
    assertThat(TIME.foundIn("Budget: 4.2 million euros")).isFalse();
  }

  /**
   * Words that are months, weekdays or names only sometimes: modal "May I ask", "march" the verb, "august" the
   * adjective, "Sun", "Will". A month needs a number or a time's preposition next to it, or (August) its capital.
   */
  @Test
  void ambiguousWordsAreTimesOrPeopleOnlyInTheirPlace() {
    assertThat(TIME.foundIn("May I ask everyone to note the new library hours.")).as("modal May").isFalse();
    assertThat(TIME.foundIn("Welcome. May we begin with the budget?")).isFalse();
    assertThat(TIME.foundIn("You may see some noise. May the best team win.")).isFalse();
    assertThat(TIME.foundIn("March on to the next slide, please.")).as("march the verb").isFalse();
    assertThat(TIME.foundIn("the volunteers march through the city")).isFalse();
    assertThat(TIME.foundIn("reviewed by an august panel of judges")).as("august the adjective").isFalse();
    assertThat(TIME.foundIn("Sun and wind power the buoys")).isFalse();
    assertThat(PERSON.foundIn("Will the speaker take questions?")).isFalse();
    assertThat(TIME.answersIn("Final report due May 2026")).contains("May 2026");
    assertThat(TIME.foundIn("the report is due in may")).isTrue();
    assertThat(TIME.foundIn("The bridge opens on the third of march.")).isTrue();
    assertThat(TIME.foundIn("from March to May")).isTrue();
    assertThat(TIME.foundIn("We met in Lisbon last August.")).isTrue();
    assertThat(TIME.foundIn("The harvest starts in August")).isTrue();
    assertThat(TIME.foundIn("Opens 12 March")).isTrue();
    assertThat(PERSON.foundIn("Hi, I'm Will Byrne.")).isTrue();
  }

  @Test
  void weekdaysInThePluralAndSpokenClockTimesAreTimes() {
    assertThat(TIME.foundIn("Closed on Sundays")).isTrue();
    assertThat(TIME.foundIn("the library opens at eight thirty in the morning")).isTrue();
    assertThat(TIME.foundIn("it stays open until nine in the evening")).isTrue();
    assertThat(TIME.foundIn("we need eight people in the morning shift")).as("a count before 'in the morning ...'")
        .isFalse();
  }

  @Test
  void placesAreCapitalisedNamesAfterPrepositionsOrPlaceNouns() {
    assertThat(PLACE.answersIn("Field tests on the river Rhine")).contains("on the river Rhine");
    assertThat(PLACE.foundIn("City of Basel hosts the data center")).isTrue();
    assertThat(PLACE.foundIn("the city of basel hosts our data center")).as("speech, lower case").isTrue();
    assertThat(PLACE.foundIn("Cleanest site: Lake Constance")).isTrue();
    assertThat(PLACE.foundIn("She grew up in Lisbon.")).isTrue();
    assertThat(PLACE.foundIn("Phase one ends in June 2025")).as("a month is no place").isFalse();
    assertThat(PLACE.foundIn("the state of the art in sensing")).isFalse();
    assertThat(PLACE.foundIn("the tests run on the river")).isFalse();
  }

  @Test
  void anAnswerRepeatedInAnotherTextIsRecognisedByItsWords() {
    assertThat(PERSON.repeatedIn("Speaker: Dr. Maria Lopez", "my name is maria lopez and i lead the team")).isTrue();
    assertThat(PERSON.repeatedIn("Speaker: Dr. Maria Lopez", "my name is tomas varga")).isFalse();
    assertThat(NUMBER.repeatedIn("Total budget: 4.2 million euros", "sensors cost one point five million euros"))
        .as("a number word alone is no repeated answer").isFalse();
  }

  /**
   * A role word, honorific, self-introduction, preposition or number followed by a long run of blanks (no-break and
   * ideographic spaces survive the subtitle cleaners, which collapse only {@code \s}) and no name: every type reads
   * each character a bounded number of times. The role label's {@code \h*:?\h+} split such a run every possible way
   * (k blanks, about k * k / 2 steps): "Speaker" and 20000 no-break spaces cost 8e8 character reads per check, and a
   * subtitle file may hold a cue of millions.
   */
  @Test
  void aLongRunOfBlanksIsReadInLinearTime() {
    int blanks = 20_000;
    for (String head : List.of("Speaker", "Speaker:", "Speaker Dr", "presented by", "Dr.", "I am", "my name is", "in",
        "river", "at 7", "May")) {
      for (char blank : new char[] {'\u00a0', '\u3000', ' '}) {
        CountingText text = new CountingText(head + String.valueOf(blank).repeat(blanks) + "x");
        for (AnswerType type : AnswerType.values()) {
          text.reads = 0;
          type.answersIn(text);
          assertThat(text.reads).as("characters %s read for \"%s\" and %d blanks U+%04X", type, head, blanks, (int) blank)
              .isLessThan(READS_PER_CHAR * text.length());
        }
      }
    }
  }

  /** Characters one type may read per character of text: its patterns each try every position a few times. */
  private static final long READS_PER_CHAR = 200;

  /** A text that counts the characters the regex engine reads from it. */
  private static final class CountingText implements CharSequence {
    private final String text;
    long reads;

    CountingText(String text) {
      this.text = text;
    }

    @Override
    public char charAt(int index) {
      reads++;
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
