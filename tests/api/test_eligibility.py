"""`GET /eligibility` and `GET /comparison` on a live server over the real corpus."""

from __future__ import annotations

import csv
import io


def test_eligibility_json(corpus_api):
    with corpus_api.client() as client:
        r = client.get("/eligibility", params={"at": "南通创新区", "date": "2026-11-29",
                                               "spend": "compute_voucher=10000000"})
    assert r.status_code == 200, r.text
    [cat] = r.json()["categories"]
    assert cat["category"] == "compute_voucher" and cat["total_yuan"] == 4000000
    applied = [i for i in cat["items"] if i["applied"]]
    assert len(applied) == 1 and applied[0]["evidence"][0]["quote"]


def test_eligibility_csv_and_profile_flags(corpus_api):
    with corpus_api.client() as client:
        r = client.get("/eligibility", params={"at": "南通创新区", "date": "2026-11-29", "new_firm": "true",
                                               "spend": ["compute_voucher=10000000", "dataset=1"]},
                       headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["category"] for row in rows} == {"compute_voucher", "dataset"}
    assert all(row["reason"] for row in rows)


def test_eligibility_bad_input_is_400_naming_it(corpus_api):
    with corpus_api.client() as client:
        for params, param in (({"at": "火星", "date": "2026-11-29"}, "at"),
                              ({"at": "南通市", "date": "2026-02-30"}, "date"),
                              ({"at": "南通市", "date": "2026-11-29", "spend": "compute=1"}, "spend"),
                              ({"at": "南通市", "date": "2026-11-29", "spend": "dataset=-1"}, "spend")):
            r = client.get("/eligibility", params=params)
            assert r.status_code == 400, params
            assert r.json()["error"]["code"] == "invalid_parameter"
            assert r.json()["error"]["detail"]["param"] == param
        assert client.get("/eligibility", params={"at": "南通市"}).status_code == 422


def test_comparison_json_and_csv(corpus_api):
    with corpus_api.client() as client:
        r = client.get("/comparison", params={"category": "compute_voucher", "at": ["南通市", "安徽省"]})
        assert r.status_code == 200
        assert {row["jurisdiction"] for row in r.json()["rows"]} == {"南通市", "安徽省"}
        c = client.get("/comparison", params={"category": "dataset", "level": "prefecture",
                                              "within": "江苏省", "format": "csv"})
        assert c.status_code == 200 and c.text.startswith("jurisdiction,")
        bad = client.get("/comparison", params={"category": "nonsense", "at": "南通市"})
        assert bad.status_code == 400
