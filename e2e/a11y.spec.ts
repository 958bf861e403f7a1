import { expect, test } from "./fixtures";
import { DEMO, screenshot, signedInPage } from "./support";

test("public pages pass axe (WCAG 2.1 AA)", async ({ page, axe }) => {
  for (const path of ["/sign-in", "/sign-up"]) {
    await page.goto(path);
    await axe(page);
    await screenshot(page, path.slice(1));
  }
});

test("console pages pass axe (WCAG 2.1 AA)", async ({ browser, axe }) => {
  // Six pages, each loaded, scanned by axe and photographed: more than the default minute on a busy 2-core machine.
  test.setTimeout(180_000);
  const { context, page } = await signedInPage(browser, DEMO.owner);
  for (const path of [
    "/dashboard",
    "/profile/security",
    "/settings/users",
    "/settings/owner",
    "/settings/security",
    "/audit-log",
  ]) {
    await page.goto(path);
    await axe(page);
    await screenshot(page, `owner${path.replaceAll("/", "-")}`);
  }
  await context.close();
});

test("the console is usable with the keyboard alone", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.owner);
  await page.goto("/dashboard");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await context.close();
});
