Function deal_counterparty(start_revenue, target_revenue, start_year, target_year, Optional customer, Optional growth_after, Optional default_term_years, Optional profile, Optional fiscal_year_end)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_counterparty = XLPy.CallUDF("addin.functions", "deal_counterparty", Array(start_revenue, target_revenue, start_year, target_year, customer, growth_after, default_term_years, profile, fiscal_year_end), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_counterparty = XLPy.CallUDF("addin.functions", "deal_counterparty", Array(start_revenue, target_revenue, start_year, target_year, customer, growth_after, default_term_years, profile, fiscal_year_end))
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

Function deal_portfolio(Optional customer, Optional default_term_years)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_portfolio = XLPy.CallUDF("addin.functions", "deal_portfolio", Array(customer, default_term_years), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_portfolio = XLPy.CallUDF("addin.functions", "deal_portfolio", Array(customer, default_term_years))
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

