#!/usr/bin/python3
"""The web app in real headless Chromium (selenium + chromedriver) against fmn-pipeline.

Starts fmn-pipeline with the web app on a free loopback port over a copy of the demo
preferences, signs in with the demo sign-in, types a rule with a typo into the rule editor
(CodeMirror) and waits for the diagnostic at its position, underlined in place, fixes it with the
"did you mean" button, saves it, and checks the rule is stored in the preferences file; starts a
rule from a template, which fills the editor and checks; then adds an email address, follows the confirmation link fmn-pipeline
printed (no SMTP server: the stdout sink), sees the address confirmed and asks for a test
notification, which fmn-pipeline prints; at 320 px wide the editor fits. Screenshots of each step are written to OUT_DIR (for a person to look at).

    web_browser_test.py BIN_DIR PREFS_FILE OUT_DIR
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("fmn-pipeline exited with %s" % process.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("the web app never listened on port %d" % port)


def confirmation_link(path):
    """The link of the first confirmation request fmn-pipeline printed, or None."""
    with open(path) as f:
        for line in f:
            if " <- confirm at " in line:
                return line.split(" <- confirm at ", 1)[1].strip()
    return None


def printed(path, text):
    """Whether fmn-pipeline printed a line containing `text`."""
    with open(path) as f:
        return any(text in line for line in f)


def main():
    bin_dir, prefs_source, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fmn-web-browser-")
    prefs = os.path.join(work, "prefs.toml")
    shutil.copy(prefs_source, prefs)
    port = free_port()
    pipeline = subprocess.Popen(
        [os.path.join(bin_dir, "fmn-pipeline"), "--prefs", prefs, "--web-demo",
         "--web-listen", "127.0.0.1:%d" % port, "--public-url", "http://localhost:%d" % port,
         "--connect", "tcp://127.0.0.1:%d" % free_port(),
         "--sse-listen", "", "--sse-public-url", "https://feeds.example.org",
         "--admin-listen", ""],
        stdout=open(os.path.join(work, "pipeline.out"), "w"),
        stderr=open(os.path.join(work, "pipeline.log"), "w"))
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1000,900",
                "--user-data-dir=" + os.path.join(work, "chromium")):
        options.add_argument(arg)
    browser = None
    try:
        wait_for_port(port, pipeline)
        browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        wait = WebDriverWait(browser, 30)
        shot = lambda name: browser.save_screenshot(os.path.join(out_dir, name + ".png"))

        browser.get("http://localhost:%d/" % port)
        wait.until(ec.visibility_of_element_located((By.ID, "demo-user")))
        shot("1-sign-in")
        user = browser.find_element(By.ID, "demo-user")
        user.clear()
        user.send_keys("ralph")
        browser.find_element(By.ID, "demo-sign-in").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "me"), "ralph"))
        wait.until(ec.text_to_be_present_in_element((By.ID, "rules"), "mentions me"))
        shot("2-rules")
        # Times (history and preview alike) are the browser's local ones, the zone named.
        zone, shown = browser.execute_script(
            "const d = new Date(0); return [new Intl.DateTimeFormat(undefined, {timeZoneName: 'short'})"
            ".formatToParts(d).find((p) => p.type === 'timeZoneName').value, localTime(d)];")
        assert shown.endswith(zone), (shown, zone)

        browser.find_element(By.ID, "rule-name").send_keys("koji builds")
        editor = browser.find_element(By.CSS_SELECTOR, "#rule-source .cm-content")
        assert editor.get_attribute("aria-labelledby") == "rule-source-label"
        assert browser.find_element(By.ID, "rule-source-label").text == "Rule"
        editor.click()
        editor.send_keys('topic ~ "*.buildsys.build.state.change" and pakages in $my_packages')
        diagnostic = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".diag")))
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".diag"), "E0101"))
        assert diagnostic.get_attribute("data-line") == "1", diagnostic.get_attribute("data-line")
        assert diagnostic.get_attribute("data-column") == "45", diagnostic.get_attribute("data-column")
        assert "did you mean `packages`?" in diagnostic.text, diagnostic.text
        underline = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, "#rule-source .cm-lintRange-error")))
        assert underline.text == "pakages", underline.text
        # The message and hint on hover, over the underlined name.
        ActionChains(browser).move_to_element(underline).perform()
        tooltip = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".cm-tooltip-lint")))
        wait.until(lambda _: "did you mean `packages`?" in tooltip.text)
        shot("3-diagnostic")

        diagnostic.find_element(By.CSS_SELECTOR, "button.fix").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "check-result"), "No problems found."))
        assert editor.text == 'topic ~ "*.buildsys.build.state.change" and packages in $my_packages', \
            editor.text
        # The fix leaves the cursor in the editor; Tab leaves it for the next control.
        assert browser.switch_to.active_element == editor
        editor.send_keys(Keys.TAB)
        assert browser.switch_to.active_element.get_attribute("id") == "rule-enabled", \
            browser.switch_to.active_element.get_attribute("outerHTML")
        browser.find_element(By.ID, "save").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "save-status"), "Saved."))
        wait.until(ec.text_to_be_present_in_element((By.ID, "rules"), "koji builds"))
        shot("4-saved")

        with open(prefs) as f:
            stored = f.read()
        assert 'name = "koji builds"' in stored, stored
        assert "packages in $my_packages" in stored

        # Moving a rule up: the list and the file take the new order, the focus stays on it.
        names = lambda b: [e.find_element(By.TAG_NAME, "b").text
                           for e in b.find_elements(By.CSS_SELECTOR, "#rules .rule")]
        browser.find_element(By.CSS_SELECTOR,
                             "button[aria-label='Move rule koji builds up']").click()
        WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda b: names(b)[-2:] == ["koji builds", "failed builds"])
        focused = browser.switch_to.active_element.get_attribute("aria-label")
        assert focused == "Move rule koji builds up", focused
        with open(prefs) as f:
            stored = f.read()
        assert stored.index('name = "koji builds"') < stored.index('name = "failed builds"'), stored
        shot("4b-moved-up")

        # A classic rule in one click: it fills the name and the editor, and checks.
        browser.find_element(By.ID, "new-rule").click()
        browser.find_element(By.CSS_SELECTOR, "#rule-templates button[data-template=failed-builds]").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "check-result"), "No problems found."))
        assert browser.find_element(By.ID, "rule-name").get_attribute("value") == "Failed builds"
        assert "msg.new == 3" in editor.text, editor.text
        browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "editor"))
        shot("4-template")

        browser.find_element(By.ID, "destination-name").send_keys("work")
        browser.find_element(By.ID, "destination-address").send_keys("ralph@example.org")
        browser.find_element(By.ID, "add-destination").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "destinations"), "(pending)"))
        shot("5-pending-destination")
        link = wait.until(lambda _: confirmation_link(os.path.join(work, "pipeline.out")))
        browser.get(link)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # The form's POST replaces the document: an element found in the old one may be gone by
        # the time it is read, so this wait reads the page afresh and retries across the swap.
        WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda b: "Confirmed" in b.find_element(By.TAG_NAME, "body").text)
        shot("6-confirmed")
        browser.get("http://localhost:%d/" % port)
        wait.until(ec.text_to_be_present_in_element((By.ID, "destinations"), "ralph@example.org"))
        listed = browser.find_element(By.ID, "destinations").text
        assert "work: email ralph@example.org" in listed and "(pending)" not in listed, listed

        # An SSE feed: the kind comes from the server's table, the app draws the address, and
        # the token is shown once.
        Select(browser.find_element(By.ID, "destination-kind")).select_by_value("sse")
        assert not browser.find_element(By.ID, "destination-address").is_displayed()
        browser.find_element(By.ID, "destination-name").send_keys("live")
        browser.find_element(By.ID, "add-destination").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "destination-secret"), "shown only this time"))
        token, url = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#destination-secret code")]
        # The URL to paste into a client, under the configured SSE public URL.
        assert url.startswith("https://feeds.example.org/feeds/") and url.endswith("?token=" + token), url
        feed_url = url[:url.index("?")]
        wait.until(ec.text_to_be_present_in_element((By.ID, "destinations"), "live: sse " + feed_url))
        WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda b: "New token" in b.find_element(By.ID, "destinations").text)
        assert token and token not in browser.find_element(By.ID, "destinations").text
        with open(prefs) as f:
            stored = f.read()
        assert token not in stored, "the feed's token is stored as itself"
        shot("6b-feed-added")
        browser.find_element(By.CSS_SELECTOR, "button[aria-label^='Make a new token for live']").click()
        wait.until(ec.alert_is_present()).accept()
        WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda b: b.find_element(By.CSS_SELECTOR, "#destination-secret code").text not in ("", token))

        browser.find_element(
            By.CSS_SELECTOR, "button[aria-label='Send me a test notification at work']").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "destination-status"), "on its way"))
        shot("7-test-sent")
        wait.until(lambda _: printed(os.path.join(work, "pipeline.out"),
                                     "ralph (email ralph@example.org) <- [test notification]"))

        # At 320 px wide the templates wrap and the editor breaks its lines: nothing runs off.
        browser.set_window_size(320, 900)
        browser.find_element(By.CSS_SELECTOR, "#rule-templates button[data-template=update-comments]").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "check-result"), "No problems found."))
        wait.until(lambda b: b.execute_script(
            "const e = document.documentElement; return e.clientWidth <= 320 && e.scrollWidth <= e.clientWidth;"))
        browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "editor"))
        shot("8-editor-320px")
        print("web browser test: passed; screenshots in", out_dir)
    finally:
        if browser is not None:
            browser.quit()
        pipeline.terminate()
        pipeline.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
