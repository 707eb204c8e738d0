package dev.longshot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (explicit paths: Selenium Manager never
 * downloads anything), on the Longshot page. Each instance uses a fresh profile directory and closes the
 * browser and the driver.
 */
final class PageDriver implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final String base;
  private final Path screenshots;
  private final Path profile;
  private final ChromeDriver driver;

  PageDriver(String base, Path screenshots) throws IOException {
    this.base = base;
    this.screenshots = screenshots;
    this.profile = Files.createTempDirectory("longshot-chromium");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900", "--user-data-dir=" + profile);
    this.driver = new ChromeDriver(service, options);
  }

  /** Opens the page with {@code apiKey} entered (stored as the page stores it), then waits for the player. */
  void open(String apiKey) {
    driver.get(base + "/");
    js("storeApiKey(arguments[0]);", apiKey);
    driver.navigate().refresh();
    waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#videos li.video.current")));
    // the player must have the media's metadata, which it reads through range requests
    waitFor().until(d -> ((Number) js("return document.getElementById('player').readyState;")).intValue() >= 1);
  }

  /** Opens the page with {@code apiKey} entered and waits for the library, not for the player. */
  void openLibrary(String apiKey) {
    driver.get(base + "/");
    js("storeApiKey(arguments[0]);", apiKey);
    driver.navigate().refresh();
    waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#videos li.video.current")));
  }

  /** Clicks the library entry of {@code videoId}. */
  void selectVideo(String videoId) {
    driver.findElement(By.cssSelector("#videos li.video[data-video-id='" + videoId + "'] button.open")).click();
  }

  /** Waits until the note under the player is shown and returns its text. */
  String awaitPlayerNote() {
    waitFor().until(d -> !d.findElements(By.cssSelector("#player-note:not([hidden])")).isEmpty());
    return driver.findElement(By.id("player-note")).getText();
  }

  void awaitPlayerNoteHidden() {
    waitFor().until(d -> d.findElements(By.cssSelector("#player-note:not([hidden])")).isEmpty());
  }

  /** The file name the page says is loaded in the player. */
  String nowPlaying() {
    return driver.findElement(By.id("now-playing")).getText();
  }

  /**
   * Renders {@code answer} with {@code evidence} (a JSON array of evidence DTOs) through the page's own renderers,
   * as a finished answer, and clicks its {@code n}-th timestamp (0-based).
   */
  void renderAnswerAndClickTimestamp(String answer, String evidenceJson, int n) {
    js("const ev = JSON.parse(arguments[1]); renderEvidence(ev); renderAnswer(arguments[0], ev);"
        + "document.getElementById('answer').hidden = false;", answer, evidenceJson);
    driver.findElements(By.cssSelector("#answer-text button.ts")).get(n).click();
  }

  void ask(String question) {
    WebElement box = driver.findElement(By.id("question"));
    box.clear();
    box.sendKeys(question);
    driver.findElement(By.id("ask-button")).click();
    waitFor().until(d -> !"asking".equals(d.findElement(By.id("answer")).getDomAttribute("data-state")));
    assertThat(driver.findElement(By.id("answer")).getDomAttribute("data-state"))
        .as("answer state; page error: " + driver.findElement(By.id("ask-error")).getText()).isEqualTo("done");
  }

  /** Waits until at least one evidence card shows its keyframe (an image the browser could decode). */
  void awaitKeyframeThumbnail() {
    waitFor().until(d -> (Boolean) js("return [...document.querySelectorAll('#evidence img')]"
        + ".some(i => i.complete && i.naturalWidth > 0);"));
  }

  /** Clicks the first timestamp in the answer text and returns the time it names, in seconds. */
  double clickFirstAnswerTimestamp() {
    List<WebElement> stamps = driver.findElements(By.cssSelector("#answer-text button.ts"));
    assertThat(stamps).as("timestamps in the answer: " + driver.findElement(By.id("answer-text")).getText()).isNotEmpty();
    WebElement first = stamps.getFirst();
    double seconds = Long.parseLong(first.getDomAttribute("data-ms")) / 1000.0;
    first.click();
    return seconds;
  }

  /** Waits for the player's {@code seeked} event and returns where it landed, in seconds. */
  double awaitSeekedSeconds() {
    waitFor().until(d -> js("return document.getElementById('player').dataset.seekedTo || null;") != null);
    return Double.parseDouble((String) js("return document.getElementById('player').dataset.seekedTo;"));
  }

  /**
   * Uploads {@code file} through the page's upload control (entering {@code apiKey} first) and waits until the
   * library lists {@code expectedVideos} videos.
   */
  void uploadThroughThePage(Path file, String apiKey, int expectedVideos) {
    driver.findElement(By.cssSelector(".settings summary")).click();
    WebElement key = driver.findElement(By.id("api-key"));
    key.clear();
    key.sendKeys(apiKey, org.openqa.selenium.Keys.TAB); // the change event stores it
    driver.findElement(By.id("upload-file")).sendKeys(file.toString());
    driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofMinutes(3)).until(
        d -> d.findElements(By.cssSelector("#videos li.video")).size() == expectedVideos);
    assertThat(driver.findElement(By.id("upload-status")).getText()).contains(file.getFileName().toString());
  }

  /** Uploads {@code file} through the page (entering {@code apiKey} first) and waits for the upload status to hold {@code text}. */
  String uploadAndAwaitStatus(Path file, String apiKey, String text) {
    driver.findElement(By.cssSelector(".settings summary")).click();
    WebElement key = driver.findElement(By.id("api-key"));
    key.clear();
    key.sendKeys(apiKey, org.openqa.selenium.Keys.TAB);
    driver.findElement(By.id("upload-file")).sendKeys(file.toString());
    driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofMinutes(3)).until(d -> d.findElement(By.id("upload-status")).getText().contains(text));
    return driver.findElement(By.id("upload-status")).getText();
  }

  /** Checks that an evidence card quotes {@code text} literally and that the page holds no script but its own. */
  void assertEvidenceShowsTextAndRanNothing(String text) {
    List<String> quotes = driver.findElements(By.cssSelector("#evidence blockquote")).stream().map(WebElement::getText).toList();
    assertThat(quotes).anySatisfy(q -> assertThat(q).contains(text));
    assertThat(js("return document.querySelectorAll('script').length;")).isEqualTo(1L);
    assertThat(driver.findElement(By.id("answer-text")).getText()).doesNotContain("undefined");
  }

  /**
   * Renders evidence whose quote carries a script and an event-handler image, as a hostile video's OCR could,
   * through the page's own renderer, and checks that it shows up as text and runs nothing.
   */
  void assertHostileTextIsShownAsText() {
    String hostile = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">";
    js("renderEvidence([{videoId: 'ffffffffffffffff', fileName: arguments[0], modality: 'ocr', startMillis: 1000, endMillis: 2000,"
        + " text: arguments[0], keyframeUrl: null, score: 1}]);", hostile);
    WebElement quote = driver.findElement(By.cssSelector("#evidence blockquote"));
    assertThat(quote.getText()).isEqualTo(hostile);
    assertThat(driver.findElements(By.cssSelector("#evidence script, #evidence img"))).isEmpty();
    assertThat(js("return window.__xss === undefined;")).isEqualTo(true);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  Path screenshot(String name) throws IOException {
    Files.createDirectories(screenshots);
    Path target = screenshots.resolve(name);
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private WebDriverWait waitFor() {
    return new WebDriverWait(driver, WAIT);
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
