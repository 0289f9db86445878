Function deal_backlog(value, start, term_years, Optional booking, Optional tranches, Optional profile, Optional frequency, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional derecognition, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_backlog = XLPy.CallUDF("addin.functions", "deal_backlog", Array(value, start, term_years, booking, tranches, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, derecognition, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_backlog = XLPy.CallUDF("addin.functions", "deal_backlog", Array(value, start, term_years, booking, tranches, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, derecognition, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_backlog = Err.Description
End Function

Function deal_backlog_effect(reported_backlog, added_backlog)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_backlog_effect = XLPy.CallUDF("addin.functions", "deal_backlog_effect", Array(reported_backlog, added_backlog), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_backlog_effect = XLPy.CallUDF("addin.functions", "deal_backlog_effect", Array(reported_backlog, added_backlog))
        Exit Function
    #End If
failed:
    deal_backlog_effect = Err.Description
End Function

Function deal_capacity(annual_revenue_usd_bn, usd_per_gpu_hour, Optional utilisation, Optional gpus_per_rack, Optional kw_per_rack, Optional pue, Optional facility_musd_per_mw, Optional load_factor, Optional power_usd_per_mwh, Optional us_consumption_twh)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_capacity = XLPy.CallUDF("addin.functions", "deal_capacity", Array(annual_revenue_usd_bn, usd_per_gpu_hour, utilisation, gpus_per_rack, kw_per_rack, pue, facility_musd_per_mw, load_factor, power_usd_per_mwh, us_consumption_twh), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_capacity = XLPy.CallUDF("addin.functions", "deal_capacity", Array(annual_revenue_usd_bn, usd_per_gpu_hour, utilisation, gpus_per_rack, kw_per_rack, pue, facility_musd_per_mw, load_factor, power_usd_per_mwh, us_consumption_twh))
        Exit Function
    #End If
failed:
    deal_capacity = Err.Description
End Function

Function deal_claims(Optional deal, Optional as_of)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_claims = XLPy.CallUDF("addin.functions", "deal_claims", Array(deal, as_of), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_claims = XLPy.CallUDF("addin.functions", "deal_claims", Array(deal, as_of))
        Exit Function
    #End If
failed:
    deal_claims = Err.Description
End Function

Function deal_company(company, Optional field)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_company = XLPy.CallUDF("addin.functions", "deal_company", Array(company, field), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_company = XLPy.CallUDF("addin.functions", "deal_company", Array(company, field))
        Exit Function
    #End If
failed:
    deal_company = Err.Description
End Function

Function deal_counterparty(start_revenue, target_revenue, start_year, target_year, Optional customer, Optional growth_after, Optional fiscal_year_end)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_counterparty = XLPy.CallUDF("addin.functions", "deal_counterparty", Array(start_revenue, target_revenue, start_year, target_year, customer, growth_after, fiscal_year_end), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_counterparty = XLPy.CallUDF("addin.functions", "deal_counterparty", Array(start_revenue, target_revenue, start_year, target_year, customer, growth_after, fiscal_year_end))
        Exit Function
    #End If
failed:
    deal_counterparty = Err.Description
End Function

Function deal_deals()
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_deals = XLPy.CallUDF("addin.functions", "deal_deals", Array(), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_deals = XLPy.CallUDF("addin.functions", "deal_deals", Array())
        Exit Function
    #End If
failed:
    deal_deals = Err.Description
End Function

Function deal_economics(value, start, term_years, capex, Optional lead_years, Optional useful_life_years, Optional tax_rate, Optional power_cost_share, Optional other_opex_share, Optional profile, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity, Optional facility_capex, Optional facility_life_years, Optional committed_capex_share, Optional margin_override)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_economics = XLPy.CallUDF("addin.functions", "deal_economics", Array(value, start, term_years, capex, lead_years, useful_life_years, tax_rate, power_cost_share, other_opex_share, profile, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, facility_capex, facility_life_years, committed_capex_share, margin_override), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_economics = XLPy.CallUDF("addin.functions", "deal_economics", Array(value, start, term_years, capex, lead_years, useful_life_years, tax_rate, power_cost_share, other_opex_share, profile, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, facility_capex, facility_life_years, committed_capex_share, margin_override))
        Exit Function
    #End If
failed:
    deal_economics = Err.Description
End Function

Function deal_event_study(price, shares, contract_value, Optional move, Optional prior_price, Optional market_return, Optional beta, Optional money_unit)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_event_study = XLPy.CallUDF("addin.functions", "deal_event_study", Array(price, shares, contract_value, move, prior_price, market_return, beta, money_unit), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_event_study = XLPy.CallUDF("addin.functions", "deal_event_study", Array(price, shares, contract_value, move, prior_price, market_return, beta, money_unit))
        Exit Function
    #End If
failed:
    deal_event_study = Err.Description
End Function

Function deal_exposure(Optional as_of_year, Optional customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_exposure = XLPy.CallUDF("addin.functions", "deal_exposure", Array(as_of_year, customers), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_exposure = XLPy.CallUDF("addin.functions", "deal_exposure", Array(as_of_year, customers))
        Exit Function
    #End If
failed:
    deal_exposure = Err.Description
End Function

Function deal_exposure_risk(Optional rule, Optional priority, Optional draws, Optional seed, Optional as_of_year, Optional customers, Optional threshold, Optional correlation)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_exposure_risk = XLPy.CallUDF("addin.functions", "deal_exposure_risk", Array(rule, priority, draws, seed, as_of_year, customers, threshold, correlation), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_exposure_risk = XLPy.CallUDF("addin.functions", "deal_exposure_risk", Array(rule, priority, draws, seed, as_of_year, customers, threshold, correlation))
        Exit Function
    #End If
failed:
    deal_exposure_risk = Err.Description
End Function

Function deal_hedge_ratio(long_returns, short_returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_hedge_ratio = XLPy.CallUDF("addin.functions", "deal_hedge_ratio", Array(long_returns, short_returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_hedge_ratio = XLPy.CallUDF("addin.functions", "deal_hedge_ratio", Array(long_returns, short_returns))
        Exit Function
    #End If
failed:
    deal_hedge_ratio = Err.Description
End Function

Function deal_margin_bridge(base_revenue, base_margin, deal_revenue, deal_margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_margin_bridge = XLPy.CallUDF("addin.functions", "deal_margin_bridge", Array(base_revenue, base_margin, deal_revenue, deal_margin), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_margin_bridge = XLPy.CallUDF("addin.functions", "deal_margin_bridge", Array(base_revenue, base_margin, deal_revenue, deal_margin))
        Exit Function
    #End If
failed:
    deal_margin_bridge = Err.Description
End Function

Function deal_margin_by_period(deal_revenue, base_revenue, base_margin, deal_margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_margin_by_period = XLPy.CallUDF("addin.functions", "deal_margin_by_period", Array(deal_revenue, base_revenue, base_margin, deal_margin), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_margin_by_period = XLPy.CallUDF("addin.functions", "deal_margin_by_period", Array(deal_revenue, base_revenue, base_margin, deal_margin))
        Exit Function
    #End If
failed:
    deal_margin_by_period = Err.Description
End Function

Function deal_npv_irr(value, start, term_years, capex, discount_rate, Optional lead_years, Optional useful_life_years, Optional tax_rate, Optional power_cost_share, Optional other_opex_share, Optional profile, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity, Optional facility_capex, Optional facility_life_years, Optional committed_capex_share, Optional margin_override)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_npv_irr = XLPy.CallUDF("addin.functions", "deal_npv_irr", Array(value, start, term_years, capex, discount_rate, lead_years, useful_life_years, tax_rate, power_cost_share, other_opex_share, profile, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, facility_capex, facility_life_years, committed_capex_share, margin_override), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_npv_irr = XLPy.CallUDF("addin.functions", "deal_npv_irr", Array(value, start, term_years, capex, discount_rate, lead_years, useful_life_years, tax_rate, power_cost_share, other_opex_share, profile, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, facility_capex, facility_life_years, committed_capex_share, margin_override))
        Exit Function
    #End If
failed:
    deal_npv_irr = Err.Description
End Function

Function deal_output(inputs, name)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_output = XLPy.CallUDF("addin.functions", "deal_output", Array(inputs, name), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_output = XLPy.CallUDF("addin.functions", "deal_output", Array(inputs, name))
        Exit Function
    #End If
failed:
    deal_output = Err.Description
End Function

Function deal_outputs(inputs)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_outputs = XLPy.CallUDF("addin.functions", "deal_outputs", Array(inputs), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_outputs = XLPy.CallUDF("addin.functions", "deal_outputs", Array(inputs))
        Exit Function
    #End If
failed:
    deal_outputs = Err.Description
End Function

Function deal_pair_legs(notional, Optional neutral, Optional basis, Optional beta_long, Optional beta_short)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_pair_legs = XLPy.CallUDF("addin.functions", "deal_pair_legs", Array(notional, neutral, basis, beta_long, beta_short), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_pair_legs = XLPy.CallUDF("addin.functions", "deal_pair_legs", Array(notional, neutral, basis, beta_long, beta_short))
        Exit Function
    #End If
failed:
    deal_pair_legs = Err.Description
End Function

Function deal_pair_pnl(long_notional, short_notional, shocks, Optional beta_long, Optional beta_short)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_pair_pnl = XLPy.CallUDF("addin.functions", "deal_pair_pnl", Array(long_notional, short_notional, shocks, beta_long, beta_short), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_pair_pnl = XLPy.CallUDF("addin.functions", "deal_pair_pnl", Array(long_notional, short_notional, shocks, beta_long, beta_short))
        Exit Function
    #End If
failed:
    deal_pair_pnl = Err.Description
End Function

Function deal_portfolio(Optional customer)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_portfolio = XLPy.CallUDF("addin.functions", "deal_portfolio", Array(customer), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_portfolio = XLPy.CallUDF("addin.functions", "deal_portfolio", Array(customer))
        Exit Function
    #End If
failed:
    deal_portfolio = Err.Description
End Function

Function deal_profile_weights(start, term_years, Optional profile, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_profile_weights = XLPy.CallUDF("addin.functions", "deal_profile_weights", Array(start, term_years, profile, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_profile_weights = XLPy.CallUDF("addin.functions", "deal_profile_weights", Array(start, term_years, profile, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_profile_weights = Err.Description
End Function

Function deal_rpo(value, start, term_years, as_of, Optional booking, Optional tranches, Optional profile, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional derecognition, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_rpo = XLPy.CallUDF("addin.functions", "deal_rpo", Array(value, start, term_years, as_of, booking, tranches, profile, realisation, delay_quarters, delay_mode, derecognition, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_rpo = XLPy.CallUDF("addin.functions", "deal_rpo", Array(value, start, term_years, as_of, booking, tranches, profile, realisation, delay_quarters, delay_mode, derecognition, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_rpo = Err.Description
End Function

Function deal_scenario(inputs, scenario, name)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_scenario = XLPy.CallUDF("addin.functions", "deal_scenario", Array(inputs, scenario, name), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_scenario = XLPy.CallUDF("addin.functions", "deal_scenario", Array(inputs, scenario, name))
        Exit Function
    #End If
failed:
    deal_scenario = Err.Description
End Function

Function deal_schedule(value, start, term_years, Optional profile, Optional frequency, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_schedule = XLPy.CallUDF("addin.functions", "deal_schedule", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_schedule = XLPy.CallUDF("addin.functions", "deal_schedule", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_schedule = Err.Description
End Function

Function deal_sensitivity(inputs, output, row_input, row_values, col_input, col_values)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_sensitivity = XLPy.CallUDF("addin.functions", "deal_sensitivity", Array(inputs, output, row_input, row_values, col_input, col_values), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_sensitivity = XLPy.CallUDF("addin.functions", "deal_sensitivity", Array(inputs, output, row_input, row_values, col_input, col_values))
        Exit Function
    #End If
failed:
    deal_sensitivity = Err.Description
End Function

Function deal_simulate(inputs, Optional distributions, Optional draws, Optional seed, Optional outputs)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_simulate = XLPy.CallUDF("addin.functions", "deal_simulate", Array(inputs, distributions, draws, seed, outputs), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_simulate = XLPy.CallUDF("addin.functions", "deal_simulate", Array(inputs, distributions, draws, seed, outputs))
        Exit Function
    #End If
failed:
    deal_simulate = Err.Description
End Function

Function deal_solve(output, target, input, Optional inputs, Optional scenario)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_solve = XLPy.CallUDF("addin.functions", "deal_solve", Array(output, target, input, inputs, scenario), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_solve = XLPy.CallUDF("addin.functions", "deal_solve", Array(output, target, input, inputs, scenario))
        Exit Function
    #End If
failed:
    deal_solve = Err.Description
End Function

Function deal_sotp(segments, Optional net_cash)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_sotp = XLPy.CallUDF("addin.functions", "deal_sotp", Array(segments, net_cash), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_sotp = XLPy.CallUDF("addin.functions", "deal_sotp", Array(segments, net_cash))
        Exit Function
    #End If
failed:
    deal_sotp = Err.Description
End Function

Function deal_straightline_gap(value, start, term_years, Optional profile, Optional frequency, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity, Optional base_revenue)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_straightline_gap = XLPy.CallUDF("addin.functions", "deal_straightline_gap", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, base_revenue), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_straightline_gap = XLPy.CallUDF("addin.functions", "deal_straightline_gap", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, base_revenue))
        Exit Function
    #End If
failed:
    deal_straightline_gap = Err.Description
End Function

Function deal_table(inputs, Optional scenario, Optional table, Optional key, Optional column, Optional if_missing)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_table = XLPy.CallUDF("addin.functions", "deal_table", Array(inputs, scenario, table, key, column, if_missing), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_table = XLPy.CallUDF("addin.functions", "deal_table", Array(inputs, scenario, table, key, column, if_missing))
        Exit Function
    #End If
failed:
    deal_table = Err.Description
End Function

Function deal_threshold(market_value, threshold, growth, start_year, target_year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_threshold = XLPy.CallUDF("addin.functions", "deal_threshold", Array(market_value, threshold, growth, start_year, target_year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_threshold = XLPy.CallUDF("addin.functions", "deal_threshold", Array(market_value, threshold, growth, start_year, target_year))
        Exit Function
    #End If
failed:
    deal_threshold = Err.Description
End Function

Function deal_tornado(inputs, output, Optional input_names, Optional swing)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_tornado = XLPy.CallUDF("addin.functions", "deal_tornado", Array(inputs, output, input_names, swing), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_tornado = XLPy.CallUDF("addin.functions", "deal_tornado", Array(inputs, output, input_names, swing))
        Exit Function
    #End If
failed:
    deal_tornado = Err.Description
End Function

Function deal_watch(Optional deal, Optional as_of)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_watch = XLPy.CallUDF("addin.functions", "deal_watch", Array(deal, as_of), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_watch = XLPy.CallUDF("addin.functions", "deal_watch", Array(deal, as_of))
        Exit Function
    #End If
failed:
    deal_watch = Err.Description
End Function

