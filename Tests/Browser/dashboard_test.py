#!/usr/bin/env python3
"""The dashboard in a real browser (headless Chromium through Selenium).

Run by Tests/CLITests/DashboardBrowserTests.swift against a running host whose store holds dead
letters with the error text 'boom'. Exits 0 when every check passes; prints what failed otherwise.

    dashboard_test.py --url http://127.0.0.1:PORT [--token TOKEN] [--payloads-shown] --screenshots DIR --scheduled-job ID

The scheduled job is one the page may cancel.
"""
import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


def retrying(action):
    """Runs `action` again while the element it uses was replaced by a refresh of the page."""
    for _ in range(50):
        try:
            return action()
        except StaleElementReferenceException:
            time.sleep(0.1)
    return action()


def api(url, path, token=None, data=None, headers=None):
    request = urllib.request.Request(url + path, data=data, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--payloads-shown", action="store_true", help="the host sets http.show_payloads: true")
    parser.add_argument("--scheduled-job", required=True, help="a scheduled job the page may cancel")
    args = parser.parse_args()
    url, token = args.url.rstrip("/"), args.token
    os.makedirs(args.screenshots, exist_ok=True)
    shot = lambda driver, name: driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))

    if token:
        # Without the token: refused, for the API and for pages.
        assert api(url, "/api/overview")[0] == 401, "the API must refuse a request without the token"
        assert api(url, "/api/overview", token="x" * len(token))[0] == 401, "the API must refuse a wrong token"

    driver = browser(1280, 900)
    # Polling re-renders tables: an element found a moment ago may be replaced; look again.
    wait = WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,))
    try:
        driver.get(url + "/")
        if token:
            field = wait.until(EC.presence_of_element_located((By.ID, "token")))
            field.send_keys("not-the-token-at-all")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.error"), "not the token"))
            shot(driver, "dashboard-sign-in")
            driver.find_element(By.ID, "token").send_keys(token)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

        # Overview: counts, the chart, topics and the tenant waiting longest.
        wait.until(EC.text_to_be_present_in_element((By.ID, "status-line"), "updated"))
        wait.until(EC.text_to_be_present_in_element((By.ID, "topics-table"), "fault"))
        cards = driver.find_element(By.ID, "cards").text
        assert "Dead" in cards and "Ready" in cards, cards
        assert "unserved" in driver.find_element(By.ID, "topics-table").text
        assert "waiting" in driver.find_element(By.ID, "waiting-table").text
        assert driver.find_elements(By.CSS_SELECTOR, "#chart svg rect"), "the chart shows this host's runs"
        schedules = driver.find_element(By.ID, "schedules-table").text
        assert "nightly" in schedules and "cron 0 3 * * * Europe/Berlin" in schedules, schedules
        # A topic at its max_running: the table of what limits hold back, and the topic's tag.
        wait.until(EC.text_to_be_present_in_element((By.ID, "held-table"), "max_running 1"))
        held = driver.find_element(By.ID, "held-table").text
        assert "slow" in held and "(all)" in held, held
        wait.until(lambda d: retrying(lambda: "held" in d.find_element(By.ID, "topics-table").text))
        shot(driver, "dashboard-overview")

        # Live: a job enqueued meanwhile shows in the counts without the page being loaded again
        # (the marker set on this page survives).
        card = lambda label: int(next(c.text.split("\n")[1] for c in driver.find_elements(By.CSS_SELECTOR, "#cards .card") if c.text.startswith(label)))
        ready = retrying(lambda: card("Ready"))
        driver.execute_script("window.stillThisPage = true")
        status, _ = api(url, "/api/jobs", token, data=json.dumps({"queue": "live", "topic": "nobody", "payload": {}}).encode(),
                        headers={"Content-Type": "application/json"})
        assert status == 201, f"enqueueing through the API answered {status}"
        wait.until(lambda d: retrying(lambda: card("Ready") == ready + 1))
        assert driver.execute_script("return window.stillThisPage === true"), "the page was loaded again"

        # Tenants: searchable and paginated.
        driver.get(url + "/#tenants")
        wait.until(EC.text_to_be_present_in_element((By.ID, "page-info"), "tenants"))
        driver.find_element(By.ID, "tenant-search").send_keys("tenant-1")
        wait.until(lambda d: retrying(lambda: all("tenant-1" in row.text for row in d.find_elements(By.CSS_SELECTOR, "#tenants-table tbody tr"))))
        # Sorted by lag, the tenant whose job has waited ten minutes comes first, with its lag.
        driver.find_element(By.ID, "tenant-search").clear()
        Select(driver.find_element(By.ID, "tenant-sort")).select_by_value("lag")
        first_row = "#tenants-table tbody tr:first-child"
        wait.until(lambda d: retrying(lambda: d.find_element(By.CSS_SELECTOR, first_row).text.startswith("waiting nobody 10 min")))
        shot(driver, "dashboard-tenants")

        # Dead letters: find the failed job by its error, retry it, see it leave the list.
        driver.get(url + "/#dead")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#dead-table input[data-id]")))
        search = driver.find_element(By.ID, "dead-search")
        search.send_keys("boom")
        wait.until(lambda d: retrying(lambda: d.find_elements(By.CSS_SELECTOR, "#dead-table input[data-id]") and all(
            "boom" in row.text for row in d.find_elements(By.CSS_SELECTOR, "#dead-table tbody tr"))))
        target = retrying(lambda: driver.find_elements(By.CSS_SELECTOR, "#dead-table input[data-id]")[0].get_attribute("data-id"))
        shot(driver, "dashboard-dead-letters")
        runs_before = len(api(url, f"/api/jobs/{target}", token)[1]["history"])
        retrying(lambda: driver.find_element(By.CSS_SELECTOR, f'#dead-table input[data-id="{target}"]').click())
        wait.until(EC.element_to_be_clickable((By.ID, "retry-selected"))).click()
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#dead-table input[data-id="{target}"]'))
        status, job = api(url, f"/api/jobs/{target}", token)
        # Back in its queue (or, if a host ran it and it failed again, dead with more runs).
        assert status == 200 and (job["state"] != "dead" or len(job["history"]) > runs_before), f"job {target} was not retried: {job}"

        # Purge: another dead letter, selected and purged after the confirmation, is gone for good.
        driver.get(url + "/#dead")
        search = wait.until(EC.presence_of_element_located((By.ID, "dead-search")))
        search.clear()
        search.send_keys("unwanted")
        # One row, and the one searched for (the list may still show the last search's one row).
        wait.until(lambda d: retrying(lambda: len(rows := d.find_elements(By.CSS_SELECTOR, "#dead-table tbody tr")) == 1
                                      and "unwanted" in rows[0].text and rows[0].find_elements(By.CSS_SELECTOR, "input[data-id]")))
        doomed = retrying(lambda: driver.find_element(By.CSS_SELECTOR, "#dead-table input[data-id]").get_attribute("data-id"))
        retrying(lambda: driver.find_element(By.CSS_SELECTOR, f'#dead-table input[data-id="{doomed}"]').click())
        wait.until(EC.element_to_be_clickable((By.ID, "purge-selected"))).click()
        wait.until(EC.alert_is_present()).accept()
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#dead-table input[data-id="{doomed}"]'))
        assert api(url, f"/api/jobs/{doomed}", token)[0] == 404, f"job {doomed} should be purged"

        # A job: its runs, each with its outcome and error; the payload only when allowed.
        driver.get(url + f"/#job/{target}")
        wait.until(EC.text_to_be_present_in_element((By.ID, "job"), "Runs"))
        text = driver.find_element(By.ID, "job").text
        assert "boom" in text and "error" in text, text
        if args.payloads_shown:
            assert '"error:boom' in driver.find_element(By.CSS_SELECTOR, "#job pre").text, text
        else:
            assert "Hidden: payloads may hold secrets" in text and not driver.find_elements(By.CSS_SELECTOR, "#job pre"), text
        assert "null" not in text.split("\n")[:3], text
        shot(driver, "dashboard-job")

        # Hosts: what each serves, its generation (one reload so far) and why its last reload was refused.
        driver.get(url + "/#hosts")
        wait.until(EC.text_to_be_present_in_element((By.ID, "hosts-table"), "reload refused"))
        row = driver.find_element(By.CSS_SELECTOR, "#hosts-table tbody tr")
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        assert "noop" in cells[2] and cells[3] == "2", cells
        assert "serving" in cells[6] and "no_such_section" in cells[6], cells
        shot(driver, "dashboard-hosts")

        # Cancel: a scheduled job, after the confirmation, is cancelled and can be retried.
        scheduled = args.scheduled_job
        driver.get(url + f"/#job/{scheduled}")
        wait.until(EC.element_to_be_clickable((By.ID, "job-cancel"))).click()
        wait.until(EC.alert_is_present()).accept()
        wait.until(EC.presence_of_element_located((By.ID, "job-retry")))
        text = driver.find_element(By.ID, "job").text
        assert "cancelled" in text and "cancelled by the dashboard" in text, text
        assert api(url, f"/api/jobs/{scheduled}", token)[1]["state"] == "cancelled"
        shot(driver, "dashboard-cancelled-job")

        # Pause and resume a topic from the overview: the store says so, and the page too.
        driver.get(url + "/#overview")
        button = '#topics-table button[data-topic="report:build"]'
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, button)))
        label = retrying(lambda: driver.find_element(By.CSS_SELECTOR, button).text)
        assert label == "Pause", label
        retrying(lambda: driver.find_element(By.CSS_SELECTOR, button).click())
        wait.until(lambda d: retrying(lambda: d.find_element(By.CSS_SELECTOR, button).text == "Resume"))
        assert "paused" in driver.find_element(By.ID, "topics-table").text
        shot(driver, "dashboard-paused-topic")
        retrying(lambda: driver.find_element(By.CSS_SELECTOR, button).click())
        wait.until(lambda d: retrying(lambda: d.find_element(By.CSS_SELECTOR, button).text == "Pause"))

        # Another site's page posting a form to the dashboard is refused, and nothing changes.
        before = api(url, "/api/dead", token)[1]["rows"]
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as evil:
            ids = ",".join(str(row["id"]) for row in before)
            evil.write(f'<form id=f method=post action="{url}/api/dead/purge" enctype="text/plain">'
                       f'<input name=\'{{"ids":[{ids}],"x":"\' value=\'"}}\'></form><script>f.submit()</script>')
        driver.get("file://" + evil.name)
        wait.until(lambda d: "refused" in d.page_source or "401" in d.title or "Unauthorized" in d.page_source or d.current_url.startswith(url))
        assert "cross-site request refused" in driver.page_source or "sign in" in driver.page_source.lower(), driver.page_source[:300]
        after = api(url, "/api/dead", token)[1]["rows"]
        assert after == before, "a cross-site post must change nothing"
    finally:
        driver.quit()

    # A phone-sized screen: the overview still reads.
    phone = browser(390, 844)
    try:
        if token:
            phone.get(url + "/login")
            phone.find_element(By.ID, "token").send_keys(token)
            phone.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "status-line")))
        phone.get(url + "/#overview")
        WebDriverWait(phone, 15).until(EC.text_to_be_present_in_element((By.ID, "topics-table"), "fault"))
        overflow = phone.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than a phone's screen"
        shot(phone, "dashboard-phone")
    finally:
        phone.quit()
    print("dashboard: every check passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"dashboard check failed: {failure}", file=sys.stderr)
        sys.exit(1)
