"""The verified-page pipeline: find a page's code, run it, bind its claims, render its status."""
