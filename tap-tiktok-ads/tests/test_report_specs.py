from tap_tiktok_ads.report_specs import builtin_specs, custom_specs, report_errors, spec_errors


def test_builtin_streams():
    names = {spec.name for spec in builtin_specs({})}
    assert {
        "insights",
        "insights_campaign",
        "insights_adgroup",
        "insights_advertiser",
        "insights_hourly",
        "insights_campaign_hourly",
        "insights_audience_age",
        "insights_audience_device",
    } <= names
    (campaign,) = [s for s in builtin_specs({}) if s.name == "insights_campaign"]
    assert campaign.primary_keys == ("advertiser_id", "campaign_id", "stat_time_day")
    assert "campaign_name" in campaign.metrics


def test_breakdown_keys_include_the_breakdown():
    (device,) = [
        s for s in builtin_specs({"breakdowns": ["device"]}) if s.report_type == "AUDIENCE"
    ]
    assert device.dimensions == ["campaign_id", "stat_time_day", "platform"]
    assert device.primary_keys[-1] == "platform"


def test_level_only_metrics_are_refused_with_the_valid_ones():
    metrics = {"metrics": ["spend", "reach", "cash_spend"]}
    (hourly,) = [s for s in builtin_specs(metrics) if s.name == "insights_hourly"]
    (error,) = report_errors(hourly)
    # Reach is read hourly in production; cash spend exists for advertisers, by day only.
    assert "'cash_spend'" in error and "'reach'" not in error
    assert "report_metrics.csv" in error and "spend" in error


def test_breakdown_and_sync_only_metrics():
    report = {
        "name": "by_country",
        "data_level": "ad",
        "dimensions": ["ad_id", "stat_time_day", "country_code"],
        "metrics": ["spend", "paid_engaged_view"],
    }
    (error,) = spec_errors({"custom_reports": [report]})
    assert "'paid_engaged_view'" in error and "report by country_code" in error
    plain = {**report, "dimensions": ["ad_id", "stat_time_day"], "metrics": ["billed_cost"]}
    assert spec_errors({"custom_reports": [plain]}) == []
    (error,) = spec_errors({"custom_reports": [plain], "report_mode": "async"})
    assert "billed_cost" in error and "report_mode" in error
    audience = {
        **report,
        "report_type": "AUDIENCE",
        "dimensions": ["ad_id", "stat_time_day", "dma_id"],
    }
    assert (
        spec_errors({"custom_reports": [{**audience, "metrics": ["spend", "vta_purchase"]}]}) == []
    )
    basic_dma = {**audience, "report_type": "BASIC", "metrics": ["spend"]}
    assert any("dma_id" in e for e in spec_errors({"custom_reports": [basic_dma]}))


def test_custom_reports():
    config = {
        "custom_reports": [
            {
                "name": "by_country",
                "report_type": "AUDIENCE",
                "data_level": "AUCTION_AD",
                "dimensions": ["ad_id", "stat_time_day", "country_code"],
                "metrics": ["spend", "clicks"],
            }
        ]
    }
    (spec,) = custom_specs(config)
    assert spec.name == "report_by_country" and spec.level == "ad"
    assert spec_errors(config) == []
    bad = {"custom_reports": [{"name": "x", "dimensions": ["campaign_id"]}]}
    assert any("stat_time_day" in e for e in spec_errors(bad))
    bad_metric = {
        "custom_reports": [
            {
                "name": "x",
                "data_level": "campaign",
                "dimensions": ["campaign_id", "stat_time_day"],
                "metrics": ["cash_spend"],
            }
        ]
    }
    assert any("cash_spend" in e for e in spec_errors(bad_metric))


def test_listing_all_advertisers_needs_the_app_credentials():
    from tap_tiktok_ads.tap import TapTikTokAds

    errors = TapTikTokAds.config_errors(None, {"access_token": "x"})
    assert [e.split("'")[1] for e in errors] == ["app_id", "secret"]
    listed = {"access_token": "x", "advertiser_ids": ["7000000"]}
    assert TapTikTokAds.config_errors(None, listed) == []
    # The token itself is required unless `token_store` supplied it (before this check).
    errors = TapTikTokAds.config_errors(None, {"advertiser_ids": ["7000000"]})
    assert [e.split("'")[1] for e in errors] == ["access_token"]
